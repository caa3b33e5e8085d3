using System.Data.Common;
using System.Diagnostics;
using Swap.Scenarios.Online.Data;
using Swap.Scenarios.Online.Engines;

namespace Swap.Scenarios.Online.Load;

/// <summary>One write: when it was meant to start (seconds on the run's clock), how long until it was done, its kind and attempts.</summary>
internal readonly record struct WriteSample(double Intended, double LatencyMs, WriteKind Kind, int Attempts);

/// <summary>
/// The concurrent application: the deterministic write sequence at a fixed total rate, spread over
/// one or more connections, each on its own thread. Write <c>i</c> is meant to start at
/// <c>i / rate</c> seconds and is sent by the connection that owns its row (row id modulo the
/// number of connections), so every write number is sent exactly once and the writes to one row
/// keep their order whichever connection is slow: the end state is the same function of the
/// write count as with one connection. Each write's latency is measured from the moment the
/// schedule meant to send it, not from when it was sent, so a write stuck behind a lock also
/// charges the writes that queued behind it on its connection (no coordinated omission). A write
/// that fails with a transient error (deadlock, lock wait timeout) is retried, as an application
/// would; its latency includes the retries.
/// </summary>
internal sealed class Writer
{
    /// <summary>How far ahead of now the stop is placed, so no connection is already waiting to send a write past it.</summary>
    private const double StopMargin = 0.05;

    private readonly Lane[] lanes;
    private readonly int rate;
    private readonly Stopwatch clock;
    private double start;
    private double stopAt = double.PositiveInfinity;
    private volatile bool stop;

    public Writer(BenchEngine engine, TableModel table, IReadOnlyList<DbConnection> connections, long loadedRows, int rate, Stopwatch clock)
    {
        ArgumentOutOfRangeException.ThrowIfZero(connections.Count);
        this.rate = rate;
        this.clock = clock;
        lanes = connections.Select((c, i) => new Lane(this, i, connections.Count, engine, c, new WriteSequence(table, loadedRows), engine.WriterApplier(table, c))).ToArray();
    }

    /// <summary>Writes completed: every write numbered below this was applied once, none above.</summary>
    public long Completed { get; private set; }

    public int Retries => lanes.Sum(l => l.Retries);

    public int Connections => lanes.Length;

    /// <summary>Every connection's writes, in the order each was meant to start.</summary>
    public IReadOnlyList<WriteSample> Samples => lanes.Length == 1 ? lanes[0].Samples : lanes.SelectMany(l => l.Samples).OrderBy(s => s.Intended).ToList();

    public void Start()
    {
        start = clock.Elapsed.TotalSeconds;
        foreach (var lane in lanes)
            lane.Start();
    }

    /// <summary>
    /// Stops the schedule now, but first sends every write the schedule meant to send before now:
    /// a connection that fell behind (blocked by a lock) still measures the writes queued behind it.
    /// </summary>
    public async Task StopAsync()
    {
        var at = clock.Elapsed.TotalSeconds + StopMargin;
        Volatile.Write(ref stopAt, at);
        foreach (var lane in lanes)
        {
            if (!await Task.Run(() => lane.Join(TimeSpan.FromMinutes(10))))
            {
                // Still blocked ten minutes on: give up on the queued writes.
                stop = true;
                await Task.Run(() => lane.Join(Timeout.InfiniteTimeSpan));
            }
        }
        foreach (var lane in lanes)
            await lane.DisposeAsync();
        if (lanes.FirstOrDefault(l => l.Failure is not null) is { } failed)
            throw new InvalidOperationException($"The writer failed after {failed.Applied} writes on connection {failed.Number + 1}: {failed.Failure!.Message}", failed.Failure);

        // Each connection applied its own writes below the point where it stopped. Content is
        // comparable when all of them together are one prefix of the sequence.
        var boundary = FirstAtOrAfter(at);
        var prefix = lanes.Min(l => Math.Min(l.StoppedAt, boundary));
        if (lanes.Any(l => l.LastApplied >= prefix))
            throw new InvalidOperationException($"The writer's connections stopped at different writes ({string.Join(", ", lanes.Select(l => l.StoppedAt))}, last applied {string.Join(", ", lanes.Select(l => l.LastApplied))}): the applied writes are not one prefix, so content cannot be compared.");
        Completed = prefix;
    }

    private double Intended(long i) => start + ((double)i / rate);

    /// <summary>The first write number meant to start at or after <paramref name="t"/>.</summary>
    private long FirstAtOrAfter(double t)
    {
        var i = Math.Max(0, (long)Math.Floor((t - start) * rate) - 1);
        while (Intended(i) < t)
            i++;
        return i;
    }

    /// <summary>One connection and its thread: sends the writes whose rows it owns, in sequence order.</summary>
    private sealed class Lane(Writer owner, int number, int lanes, BenchEngine engine, DbConnection connection, WriteSequence sequence, IWriteApplier applier) : IAsyncDisposable
    {
        private readonly List<WriteSample> samples = new(1 << 16);
        private Thread? thread;

        public int Number => number;

        public List<WriteSample> Samples => samples;

        public int Retries { get; private set; }

        public long Applied { get; private set; }

        /// <summary>The number of the last write this connection applied (-1: none).</summary>
        public long LastApplied { get; private set; } = -1;

        /// <summary>The write number at which this connection stopped: all its own writes below it were applied.</summary>
        public long StoppedAt { get; private set; }

        public Exception? Failure { get; private set; }

        public void Start()
        {
            thread = new Thread(Loop) { IsBackground = true, Name = $"bench-writer-{number}", Priority = ThreadPriority.AboveNormal };
            thread.Start();
        }

        public bool Join(TimeSpan timeout) => thread is null || thread.Join(timeout);

        public async ValueTask DisposeAsync()
        {
            applier.Dispose();
            await connection.DisposeAsync();
        }

        private bool Mine(in WriteOp op) => lanes == 1 || op.Id % lanes == number;

        private void Loop()
        {
            long i = 0;
            try
            {
                for (; !owner.stop; i++)
                {
                    var intended = owner.Intended(i);
                    if (intended >= Volatile.Read(ref owner.stopAt))
                        break;
                    var op = sequence.Next();
                    if (!Mine(op))
                        continue;
                    WaitUntil(intended);
                    // The stop may have come while waiting: a write meant after it is not sent.
                    if (owner.stop || intended >= Volatile.Read(ref owner.stopAt))
                        break;
                    var attempts = 0;
                    while (true)
                    {
                        attempts++;
                        try
                        {
                            applier.Apply(op);
                            break;
                        }
                        catch (DbException e) when (engine.IsTransient(e) && attempts < 1000)
                        {
                            Thread.Sleep(5);
                        }
                    }
                    if (attempts > 1)
                        Retries += attempts - 1;
                    samples.Add(new WriteSample(intended, (owner.clock.Elapsed.TotalSeconds - intended) * 1000, op.Kind, attempts));
                    LastApplied = op.Index;
                    Applied++;
                }
            }
            catch (Exception e) when (e is DbException or InvalidOperationException)
            {
                Failure = e;
            }
            StoppedAt = i;
        }

        /// <summary>
        /// Sleeps until the write's intended start, never spinning: at 500 writes/s the writes are 2 ms
        /// apart, and a spin for the last stretch before each kept most of a core busy, which no
        /// application does and which, on a 2-core machine, took that core from the server and the tool
        /// being measured. <c>usleep</c> wakes within about a tenth of a millisecond; the overshoot
        /// counts against the latency measured (from the intended start), never for it.
        /// </summary>
        private void WaitUntil(double t)
        {
            while (!owner.stop)
            {
                var left = t - owner.clock.Elapsed.TotalSeconds;
                if (left <= 0)
                    return;
                if (OperatingSystem.IsLinux())
                    _ = usleep((uint)Math.Clamp(left * 1e6, 1, 1e6));
                else
                    Thread.Sleep(TimeSpan.FromMilliseconds(Math.Ceiling(left * 1000)));
            }
        }

        [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
        private static extern int usleep(uint microseconds);
    }
}
