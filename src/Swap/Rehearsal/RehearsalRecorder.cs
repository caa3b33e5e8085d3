using Swap.Discovery;
using Swap.Engine;
using Swap.Engine.Schema;
using Swap.Running;

namespace Swap.Rehearsal;

/// <summary>
/// Listens to a run on staging (scripts, steps, swap progress, cut-over attempts) and keeps what
/// the report needs. Every event comes from the run itself; nothing is parsed from logs.
/// </summary>
internal sealed class RehearsalRecorder(TimeProvider time, bool onlineEngine, IProgress<SwapProgress>? forward) : IRunListener, IProgress<SwapProgress>
{
    /// <summary>The method of a swap step that ran online (SQLite rebuilds small tables in one transaction instead).</summary>
    public const string OnlineMethod = "online copy-and-swap";

    /// <summary>The method of a catalog-only change under a short, bounded lock.</summary>
    public const string InstantMethod = "instant";

    /// <summary>The method of a change made in place without blocking writes (an index build).</summary>
    public const string InPlaceMethod = "in place";

    private readonly long origin = time.GetTimestamp();

    /// <summary>When the recording started (a <see cref="TimeProvider"/> timestamp): every start in the report counts from it.</summary>
    public long Origin => origin;
    private readonly List<Script> scripts = [];
    private readonly List<PhaseSpan> phases = [];
    private readonly List<CutOverAttempt> attempts = [];
    private readonly Dictionary<string, long> rowsCopied = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> swapTables = [];
    private (SwapPhase Phase, string Table, TimeSpan Start)? openPhase;
    private long? logApplied;

    public IReadOnlyList<Script> Scripts => scripts;

    /// <summary>What the plan promised, per script in the order they were planned: predicted tables, or why it could not plan.</summary>
    public List<(string ScriptId, IReadOnlyList<TableSchema> Promised, string? Error)> Plans { get; } = [];

    public bool PlansAhead => true;

    public void ScriptPlanned(string scriptId, IReadOnlyList<TableSchema> promised, string? error)
    {
        Plans.RemoveAll(p => p.ScriptId == scriptId);
        Plans.Add((scriptId, promised, error));
    }

    /// <summary>The last script that failed, if one did.</summary>
    public Script? Failed => scripts.LastOrDefault(s => s.Error is not null);

    private TimeSpan Now => time.GetElapsedTime(origin);

    public void ScriptStarted(string scriptId, ScriptKind kind, ExecutionMode mode)
    {
        // A transient failure, or a script found to swap online, runs it again: keep only the last
        // attempt's steps, but the first attempt's start, since the duration the runner reports counts from it.
        var earlier = scripts.LastOrDefault(s => s.Id == scriptId);
        scripts.RemoveAll(s => s.Id == scriptId);
        scripts.Add(new Script(scriptId, kind == ScriptKind.Sql ? "sql" : "cs", earlier?.Start ?? Now) { Mode = mode });
        ResetSwap();
    }

    public void ScriptFinished(string scriptId, TimeSpan duration, Exception? error)
    {
        var script = scripts.LastOrDefault(s => s.Id == scriptId);
        if (script is null)
        {
            // It failed before its session began (its journal could not be read...).
            script = new Script(scriptId, "?", Now - duration);
            scripts.Add(script);
        }
        script.Duration = duration;
        script.Error = error;
    }

    public void StepFinished(string scriptId, int step, string op, string description, ExecutionMode mode, TimeSpan duration, Exception? error)
    {
        var script = scripts.LastOrDefault(s => s.Id == scriptId);
        if (script is null)
            return;
        script.Mode = mode;
        ClosePhase();
        var isSwap = op == "swap";
        long? rows = isSwap ? rowsCopied.Values.Sum() : null;
        var copyTime = phases.Where(p => p.Phase == nameof(SwapPhase.Copying)).Sum(p => p.Duration.TotalSeconds);
        script.Steps.Add(new StepRehearsal
        {
            Step = step,
            Op = op,
            Description = description,
            Method = op switch
            {
                "swap" => onlineEngine && mode == ExecutionMode.Journaled ? OnlineMethod : "table rebuild in one transaction",
                // Its description names each table and method: "items instant; orders in place".
                "instant" => description.Contains("in place", StringComparison.Ordinal) ? InPlaceMethod : InstantMethod,
                _ => mode == ExecutionMode.Transactional ? "SQL in the script's transaction" : "plain SQL (journaled step)",
            },
            Start = Now - duration,
            Duration = duration,
            Tables = isSwap ? swapTables.ToList() : [],
            RowsCopied = rows,
            RowsPerSecond = isSwap && rows > 0 && copyTime > 0 ? rows / copyTime : null,
            Phases = isSwap ? phases.ToList() : [],
            CutOverAttempts = isSwap ? attempts.ToList() : [],
            // A rebuild in one transaction captures nothing.
            LogRowsApplied = isSwap && onlineEngine && mode == ExecutionMode.Journaled ? logApplied : null,
            Error = error is null ? null : Message(error),
        });
        if (isSwap)
            ResetSwap();
    }

    public void LogApplied(string scriptId, long rows) => logApplied = rows;

    public void CutOverAttempted(string scriptId, IReadOnlyList<string> tables, int attempt, TimeSpan duration, bool succeeded) =>
        attempts.Add(new CutOverAttempt(attempt, duration, succeeded));

    public void Report(SwapProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var table in value.Tables.Where(t => !swapTables.Contains(t, StringComparer.OrdinalIgnoreCase)))
            swapTables.Add(table);
        if (value.Phase is SwapPhase.Copying or SwapPhase.Done && value.RowsCopied > 0)
            rowsCopied[value.Table] = Math.Max(rowsCopied.GetValueOrDefault(value.Table), value.RowsCopied);
        if (openPhase is not { } open || open.Phase != value.Phase || !string.Equals(open.Table, value.Table, StringComparison.OrdinalIgnoreCase))
        {
            ClosePhase();
            if (value.Phase != SwapPhase.Done)
                openPhase = (value.Phase, value.Table, Now);
        }
        forward?.Report(value);
    }

    private void ClosePhase()
    {
        if (openPhase is { } open)
            phases.Add(new PhaseSpan(open.Phase.ToString(), open.Table, open.Start, Now - open.Start));
        openPhase = null;
    }

    private void ResetSwap()
    {
        openPhase = null;
        phases.Clear();
        attempts.Clear();
        rowsCopied.Clear();
        swapTables.Clear();
        logApplied = null;
    }

    internal static string Message(Exception e) => e is SwapException ? e.Message : $"{e.GetType().Name}: {e.Message}";

    /// <summary>One script as heard so far.</summary>
    internal sealed class Script(string id, string kind, TimeSpan start)
    {
        public string Id { get; } = id;
        public string Kind { get; } = kind;
        public TimeSpan Start { get; } = start;
        public ExecutionMode? Mode { get; set; }
        public TimeSpan Duration { get; set; }
        public Exception? Error { get; set; }
        public List<StepRehearsal> Steps { get; } = [];
    }
}
