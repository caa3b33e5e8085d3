using Swap.Discovery;

namespace Swap.Running;

/// <summary>
/// Hears what a run does, as it does it: scripts, their steps, and cut-over attempts. A
/// rehearsal records its report through it; a listener never changes the run.
/// </summary>
internal interface IRunListener
{
    /// <summary>True when the run should dry-run each script just before it runs and say what the plan promised (<see cref="ScriptPlanned"/>).</summary>
    bool PlansAhead => false;

    /// <summary>
    /// What <c>plan</c> promises for a script on the database as it is just before the script runs:
    /// each table it changes through the table API, as predicted; <paramref name="error"/> when it cannot be planned.
    /// </summary>
    void ScriptPlanned(string scriptId, IReadOnlyList<Engine.Schema.TableSchema> promised, string? error)
    {
    }

    /// <summary>A script's session began (again, after a transient failure) in <paramref name="mode"/>.</summary>
    void ScriptStarted(string scriptId, ScriptKind kind, ExecutionMode mode);

    /// <summary>A script ended: applied when <paramref name="error"/> is null.</summary>
    void ScriptFinished(string scriptId, TimeSpan duration, Exception? error);

    /// <summary>One step of the script API ended (an <c>execute</c>, a <c>swap</c>); failed when <paramref name="error"/> is set.</summary>
    void StepFinished(string scriptId, int step, string op, string description, ExecutionMode mode, TimeSpan duration, Exception? error);

    /// <summary>A swap of the script finished, having applied <paramref name="rows"/> change-log rows to its copies (in this process).</summary>
    void LogApplied(string scriptId, long rows)
    {
    }

    /// <summary>One attempt of a cut-over ended, with or without its locks.</summary>
    void CutOverAttempted(string scriptId, IReadOnlyList<string> tables, int attempt, TimeSpan duration, bool succeeded);
}
