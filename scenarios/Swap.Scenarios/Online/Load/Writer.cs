using System.Data.Common;
using System.Diagnostics;
using Swap.Scenarios.Online.Data;
using Swap.Scenarios.Online.Engines;

namespace Swap.Scenarios.Online.Load;

/// <summary>One write: when it was meant to start (seconds on the run's clock), how long until it was done, its kind and attempts.</summary>
internal readonly record struct WriteSample(double Intended, double LatencyMs, WriteKind Kind, int Attempts);

/// <summary>
/// The concurrent application: one connection issuing the deterministic write sequence at a fixed
/// rate on its own thread. Each write's latency is measured from the moment the schedule meant to
/// send it, not from when it was sent, so a write stuck behind a lock also charges the writes that
/// queued behind it (no coordinated omission). A write that fails with a transient error (deadlock,
/// lock wait timeout) is retried, as an application would; its latency includes the retries.
/// </summary>
internal sealed class Writer
{
    private readonly BenchEngine engine;
    private readonly DbConnection connection;
    private readonly WriteSequence sequence;
    private readonly IWriteApplier applier;
    private readonly int rate;
    private readonly Stopwatch clock;
    private readonly List<WriteSample> samples = new(1 << 16);
    private Thread? thread;
    private volatile bool stop;
    private double stopAt = double.PositiveInfinity;
    private Exception? failure;

    public Writer(BenchEngine engine, TableModel table, DbConnection connection, long loadedRows, int rate, Stopwatch clock)
    {
        this.engine = engine;
        this.connection = connection;
        this.rate = rate;
        this.clock = clock;
        sequence = new WriteSequence(table, loadedRows);
        applier = engine.WriterApplier(table, connection);
    }

    /// <summary>Writes completed (the next write's number).</summary>
    public long Completed { get; private set; }

    public int Retries { get; private set; }

    public IReadOnlyList<WriteSample> Samples => samples;

    public void Start()
    {
        thread = new Thread(Loop) { IsBackground = true, Name = "bench-writer", Priority = ThreadPriority.AboveNormal };
        thread.Start();
    }

    /// <summary>
    /// Stops the schedule now, but first sends every write the schedule meant to send before now:
    /// a writer that fell behind (blocked by a lock) still measures the writes queued behind it.
    /// </summary>
    public async Task StopAsync()
    {
        Volatile.Write(ref stopAt, clock.Elapsed.TotalSeconds);
        if (thread is not null && !await Task.Run(() => thread.Join(TimeSpan.FromMinutes(10))))
        {
            // Still blocked ten minutes on: give up on the queued writes.
            stop = true;
            await Task.Run(thread.Join);
        }
        applier.Dispose();
        await connection.DisposeAsync();
        if (failure is not null)
            throw new InvalidOperationException($"The writer failed after {Completed} writes: {failure.Message}", failure);
    }

    private void Loop()
    {
        var start = clock.Elapsed.TotalSeconds;
        var period = 1.0 / rate;
        try
        {
            for (long i = 0; !stop; i++)
            {
                var intended = start + (i * period);
                if (intended >= Volatile.Read(ref stopAt))
                    break;
                WaitUntil(intended);
                if (stop)
                    break;
                var op = sequence.Next();
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
                samples.Add(new WriteSample(intended, (clock.Elapsed.TotalSeconds - intended) * 1000, op.Kind, attempts));
                Completed = op.Index + 1;
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            failure = e;
        }
    }

    private void WaitUntil(double t)
    {
        while (!stop)
        {
            var left = t - clock.Elapsed.TotalSeconds;
            if (left <= 0)
                return;
            if (left > 0.002)
                Thread.Sleep(TimeSpan.FromSeconds(left - 0.001));
            else
                Thread.SpinWait(50);
        }
    }
}
