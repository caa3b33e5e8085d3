using System.Diagnostics;

namespace Swap.Scenarios.Faults;

/// <summary>
/// One trial: a seeded table under a concurrent writer, a copy-and-swap migration run by the real
/// <c>swap</c> command, one injected fault, then <c>swap up</c> until it succeeds (at most twice
/// more), and the checks: the table equals the oracle, nothing is left behind, the history holds
/// the script once.
/// </summary>
public static partial class FaultTrial
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The progress lines a random kill aims at ("start" is a random delay after launch).</summary>
    public static readonly string[] Anchors = ["start", "checking", "creating the copy", "installing capture", "copying", "building indexes", "verifying", "cutting over", "removing capture", "dropping the old table"];

    /// <summary>The arguments of every <c>swap up</c> of a trial.</summary>
    public static readonly string[] UpArgs = ["up", "--chunk-time", "20ms", "--lock-timeout", "60s"];

    /// <summary>
    /// The <c>swap up</c> that finishes a trial after its fault: no <c>--lock-timeout</c>, as a person
    /// reruns right after a crash; a dead holder's lock must be reclaimed, not waited out.
    /// </summary>
    public static readonly string[] ResumeArgs = ["up", "--chunk-time", "20ms"];

    public static async Task<TrialResult> RunAsync(TrialSpec spec, Action<string>? log = null)
    {
        var result = new TrialResult { Spec = spec };
        var watch = Stopwatch.StartNew();
        if (!TrialSpec.Applies(spec.Engine, spec.Fault))
            throw new ArgumentException($"{spec.Fault} does not apply to {spec.Engine}.", nameof(spec));
        var target = await FaultTarget.CreateAsync(spec.Engine);
        OracleWriter? writer = null;
        try
        {
            var table = new ItemsTable(target, spec.Table, spec.Shape);
            var model = await table.CreateAsync(spec.Rows, spec.Seed);
            table.WriteMigration();
            var pinned = (long)Math.Max(1, spec.Rows - 3);
            model.Pin(pinned);
            writer = new OracleWriter(target, table, model, spec.Seed + 1);
            writer.Start();
            await writer.WaitForWritesAsync(20, WaitTimeout);

            var context = new Context(spec, target, table, pinned, new Random(spec.Seed), result, log);
            await InjectAsync(context);
            var limit = result.Runs.Count + 2;
            while (result.Runs.Count > 0 && result.Runs[^1].ExitCode != 0 && result.Runs.Count < limit)
                await context.RunAsync(ResumeArgs);
            var last = result.Runs.LastOrDefault();
            result.FinishedBy = last is null || last.ExitCode != 0 ? "did not finish" : result.Runs.Count == 1 || spec.Fault == FaultKind.None ? "itself" : "next up";
            if (last?.ExitCode != 0)
                result.Problems.Add($"swap up did not succeed after the fault (exits {result.ExitCodes})");
            foreach (var run in result.Runs.Where(r => r.Output.Contains("Unhandled exception", StringComparison.Ordinal) || r.Output.Contains("   at Swap.", StringComparison.Ordinal)))
                result.Problems.Add($"swap {run.Arguments} crashed with a stack trace instead of a message");

            // Writes after the swap too: they must land in the new table.
            await writer.WaitForWritesAsync(20, WaitTimeout);
            await writer.StopAsync();
            result.Writes = writer.Stats;
            if (writer.Fatal is { } fatal)
                result.Problems.Add(fatal);
            result.Problems.AddRange(writer.Stats.Anomalies.Select(a => "writer: " + a));
            if (last?.ExitCode == 0)
            {
                result.Problems.AddRange(await TargetChecks.AfterSuccessAsync(target, table, model));
                result.Problems.AddRange(await table.ShapeProblemsAsync());
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            result.Problems.Add($"the harness failed: {e}");
        }
        finally
        {
            if (writer is not null)
                await writer.StopAsync();
            if (result.Passed || Environment.GetEnvironmentVariable("SWAP_FAULT_KEEP") is not { Length: > 0 })
                await target.DisposeAsync();
            else
                result.Problems.Add($"kept for inspection: {target.UrlText.Replace(target.Password ?? "\0", "***", StringComparison.Ordinal)} (folder {target.Folder})");
        }
        result.Seconds = watch.Elapsed.TotalSeconds;
        log?.Invoke(result.Describe());
        return result;
    }

    private static Task InjectAsync(Context c) => c.Spec.Fault switch
    {
        FaultKind.None => c.RunAsync(UpArgs),
        FaultKind.KillAtPoint => KillAtPointAsync(c),
        FaultKind.KillAtRandom => KillAtRandomAsync(c),
        FaultKind.KillTwiceAtRandom => KillTwiceAtRandomAsync(c),
        FaultKind.KillSessionMidChunk or FaultKind.KillAllSessionsMidChunk => KillSessionMidChunkAsync(c),
        FaultKind.KillSessionMidCutOver => KillSessionMidCutOverAsync(c),
        FaultKind.KillLockSessionMidCopy => KillLockSessionMidCopyAsync(c),
        FaultKind.RestartMidCopy or FaultKind.CrashMidCopy => RestartMidCopyAsync(c),
        FaultKind.RowLockDuringCopy => RowLockDuringCopyAsync(c),
        FaultKind.LockAtCutOverReleased or FaultKind.LockAtCutOverHeld or FaultKind.ReaderAtCutOver => LockAtCutOverAsync(c),
        FaultKind.LockAtStart => LockSqliteAsync(c),
        FaultKind.CopyHeldAtRename => CopyHeldAtRenameAsync(c),
        _ => throw new ArgumentOutOfRangeException(nameof(c), c.Spec.Fault, null),
    };

    /// <summary>What a trial's steps share.</summary>
    private sealed class Context(TrialSpec spec, FaultTarget target, ItemsTable table, long pinned, Random random, TrialResult result, Action<string>? log)
    {
        public TrialSpec Spec { get; } = spec;
        public FaultTarget Target { get; } = target;
        public ItemsTable Table { get; } = table;
        public long Pinned { get; } = pinned;
        public Random Random { get; } = random;
        public TrialResult Result { get; } = result;
        public Action<string>? Log { get; } = log;

        public SwapProcess Start(string[] args, IReadOnlyDictionary<string, string>? environment = null) => SwapProcess.Start(Target, args, environment);

        /// <summary>Waits for the process and records the run.</summary>
        public async Task<int> FinishAsync(SwapProcess process, Stopwatch watch)
        {
            var code = await process.WaitAsync(RunTimeout);
            Result.Runs.Add(new RunRecord(string.Join(' ', process.Arguments), code, process.Killed && code == 137, watch.Elapsed.TotalSeconds, process.Output));
            Log?.Invoke($"  swap {string.Join(' ', process.Arguments)} → {(process.Killed && code == 137 ? "killed" : "exit " + code)} in {watch.Elapsed.TotalSeconds:0.0}s");
            return code;
        }

        public async Task<int> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null)
        {
            var watch = Stopwatch.StartNew();
            using var process = Start(args, environment);
            return await FinishAsync(process, watch);
        }

        public void Expect(int code, params int[] expected)
        {
            if (!expected.Contains(code))
                Result.Problems.Add($"the faulted run exited with {code}; expected {string.Join(" or ", expected)}");
        }
    }
}
