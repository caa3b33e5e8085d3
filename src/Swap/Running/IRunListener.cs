using Swap.Discovery;

namespace Swap.Running;

/// <summary>
/// Hears what a run does, as it does it: scripts, their steps, and cut-over attempts. A
/// rehearsal records its report through it; a listener never changes the run.
/// </summary>
internal interface IRunListener
{
    /// <summary>A script's session began (again, after a transient failure) in <paramref name="mode"/>.</summary>
    void ScriptStarted(string scriptId, ScriptKind kind, ExecutionMode mode);

    /// <summary>A script ended: applied when <paramref name="error"/> is null.</summary>
    void ScriptFinished(string scriptId, TimeSpan duration, Exception? error);

    /// <summary>One step of the script API ended (an <c>execute</c>, a <c>swap</c>); failed when <paramref name="error"/> is set.</summary>
    void StepFinished(string scriptId, int step, string op, string description, ExecutionMode mode, TimeSpan duration, Exception? error);

    /// <summary>One attempt of a cut-over ended, with or without its locks.</summary>
    void CutOverAttempted(string scriptId, IReadOnlyList<string> tables, int attempt, TimeSpan duration, bool succeeded);
}
