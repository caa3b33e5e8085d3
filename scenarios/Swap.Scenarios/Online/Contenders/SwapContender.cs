using System.Globalization;
using System.Text.Json;
using Swap.Scenarios.Online.Worker;

namespace Swap.Scenarios.Online.Contenders;

/// <summary>
/// Swap, through its library API, in a child process of its own (<c>swap-worker</c>): the harness
/// reads its progress snapshots as they come and takes its peak RSS from GNU time (and from the
/// worker's own VmHWM, which must agree), its cut-over attempts from the worker's run listener,
/// and the change-log backlog from a poll of its own.
/// </summary>
internal class SwapContender : Contender
{
    public override string Id => "swap";

    public override string Title => "Swap (library, own process)";

    /// <summary>Extra arguments of the worker (the revert-window variant's).</summary>
    protected virtual IEnumerable<string> WorkerArguments(RunContext context) => [];

    public override async Task<ContenderOutcome> RunAsync(RunContext context, CancellationToken ct)
    {
        var chunks = new List<ChunkRecord>();
        var attempts = new List<CutOverAttemptRecord>();
        double? selfHwm = null;
        string? notes = null;
        var env = new Dictionary<string, string> { [SwapWorker.UrlVariable] = context.Engine.UrlText(context.Workspace) };
        var args = new List<string> { "swap-worker", "--table", context.Table.Name };
        // Swap's own default per engine (BenchSettings.SwapDefaultChunkMs) unless --chunk-ms says otherwise.
        if (context.Settings.ChunkMsGiven)
            args.AddRange(["--chunk-ms", context.Settings.ChunkMs.ToString(CultureInfo.InvariantCulture)]);
        if (context.Table.Change.AddOnly)
            args.Add("--add-column");
        args.AddRange(WorkerArguments(context));
        var (file, prefix) = WorkerCommand();
        context.Mark("start");
        await using var backlog = ChangeLogBacklog.Start(context, ct);
        var exit = await ToolProcess.RunAsync(file, [.. prefix, .. args], env, line =>
        {
            if (!line.StartsWith('{'))
                return;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.TryGetProperty("done", out _))
            {
                selfHwm = root.GetProperty("hwm_mb").GetDouble();
                notes = string.Create(CultureInfo.InvariantCulture,
                    $"VmHWM {selfHwm:F0} MB, GC heap at end {root.GetProperty("gc_heap_mb").GetDouble():F0} MB, allocated {root.GetProperty("allocated_mb").GetDouble():F0} MB in total, {root.GetProperty("gcs").GetInt32()} gen0 GCs");
                return;
            }
            if (root.TryGetProperty("cutover", out var attempt))
            {
                lock (attempts)
                    attempts.Add(new CutOverAttemptRecord(attempt.GetInt32(), Math.Round(root.GetProperty("ms").GetDouble(), 2), root.GetProperty("ok").GetBoolean()));
                return;
            }
            var phase = root.GetProperty("phase").GetString()!;
            context.Mark(phase);
            if (phase == "Copying")
            {
                var rows = root.GetProperty("rows").GetInt64();
                var est = Math.Max(1, root.GetProperty("est").GetInt64());
                context.Report((double)rows / est);
                lock (chunks)
                    chunks.Add(new ChunkRecord(context.Now, rows, root.GetProperty("chunk").GetInt32()));
            }
            else if (phase is "Verifying" or "CuttingOver" or "RemovingCapture" or "DroppingOld" or "Done" or "WindowOpen" or "FinishingWindow")
            {
                context.Report(1);
            }
        }, ct);
        if (exit.Code != 0)
            throw new InvalidOperationException($"swap-worker exited with {exit.Code}:\n{string.Join('\n', exit.Tail)}");
        return new ContenderOutcome
        {
            PeakRssMb = exit.PeakRssMb ?? selfHwm,
            CpuSeconds = exit.CpuSeconds,
            MemorySource = exit.PeakRssMb is not null ? $"GNU time maxrss of the worker (worker's own VmHWM {selfHwm:F0} MB)" : "worker's VmHWM",
            Version = typeof(Migrator).Assembly.GetName().Version?.ToString(),
            Chunks = chunks,
            Notes = notes,
            CutOverAttempts = attempts,
            Backlog = backlog?.Points,
        };
    }

    /// <summary>How to start this same program again: through the dotnet host with this assembly.</summary>
    private static (string File, string[] Prefix) WorkerCommand()
    {
        var dll = typeof(SwapWorker).Assembly.Location;
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(host) || !File.Exists(host))
            host = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        return (host, ["exec", dll]);
    }
}

/// <summary>
/// Swap with a revert window (<c>--contenders swap-window</c>): the same change without the
/// widening (which cannot be taken back), then the window stays open for
/// <see cref="BenchSettings.RevertWindowSeconds"/> while the writer keeps writing, so the writer's
/// latency in the <c>WindowOpen</c> phase shows what the reverse capture costs each write; then
/// <c>finish</c> closes it. Compare its WindowOpen latency with the writer's baseline and with
/// <c>swap</c>'s during-copy latency (one capture each).
/// </summary>
internal sealed class SwapRevertWindowContender : SwapContender
{
    public override string Id => "swap-window";

    public override string Title => "Swap with --revert-window (no widening), window open then finished";

    public override bool OnRequest => true;

    protected override IEnumerable<string> WorkerArguments(RunContext context) =>
        ["--revert-window-seconds", context.Settings.RevertWindowSeconds.ToString(CultureInfo.InvariantCulture)];
}

/// <summary>
/// Swap with every change copied (<c>--contenders swap-copy</c>; <c>MigratorOptions.AlwaysCopy</c>,
/// what <c>up --always-copy</c> sets): with <c>--change add-column</c>, the online copy-and-swap of a
/// change the planner would otherwise make instantly.
/// </summary>
internal sealed class SwapAlwaysCopyContender : SwapContender
{
    public override string Id => "swap-copy";

    public override string Title => "Swap (library) with --always-copy";

    public override bool OnRequest => true;

    protected override IEnumerable<string> WorkerArguments(RunContext context) => ["--always-copy"];
}

/// <summary>
/// Swap on SQLite with the copy's secondary indexes built after the copy (<c>--contenders swap-ix</c>;
/// <c>OnlineSwapOptions.SqliteIndexesAfterCopy</c>, what <c>up --sqlite-indexes-after-copy</c> sets):
/// a bare copy in key order, then one <c>CREATE INDEX</c> per index, the application waiting for each.
/// </summary>
internal sealed class SwapIndexesAfterCopyContender : SwapContender
{
    public override string Id => "swap-ix";

    public override string Title => "Swap (library) with --sqlite-indexes-after-copy";

    public override bool OnRequest => true;

    protected override IEnumerable<string> WorkerArguments(RunContext context) => ["--sqlite-indexes-after-copy"];
}
