using Swap.Running;

namespace Swap;
/// <summary>Why an <c>up</c> run stopped.</summary>
public enum StopReason
{
    /// <summary>Nothing was pending, or everything pending was applied.</summary>
    Completed,
    /// <summary>The <c>--to</c> script was reached.</summary>
    ReachedTarget,
    /// <summary><c>--steps</c> scripts were applied.</summary>
    StepsDone,
    /// <summary>The <c>--time-budget</c> was spent; the rest waits for the next run.</summary>
    BudgetSpent,
}

/// <summary>One script that a run applied or reverted.</summary>
/// <param name="Id">The script.</param>
/// <param name="Duration">How long this run spent on it.</param>
/// <param name="Resumed">What an earlier, interrupted run of it had already done, or null when it ran from the start.</param>
public sealed record ScriptOutcome(string Id, TimeSpan Duration, Resumption? Resumed)
{
    /// <summary>Journaled steps an earlier run had finished (0 when it ran from the start).</summary>
    public int ResumedSteps => Resumed?.DoneSteps ?? 0;
}

/// <summary>Where a script resumed: the steps an earlier run finished, and the step it was in the middle of (a swap stopped in one of its phases), if any.</summary>
public sealed record Resumption(int DoneSteps, string? InterruptedOp)
{
    /// <summary>For output: "resumed after 2 step(s)", "resumed after 0 step(s), then the interrupted 'swap' step where it stopped".</summary>
    public override string ToString() =>
        $"resumed after {DoneSteps} step(s)" + (InterruptedOp is null ? "" : $", then the interrupted '{InterruptedOp}' step where it stopped");
}

/// <summary>The answer to <c>up</c>.</summary>
public sealed record UpResult(int Batch, IReadOnlyList<ScriptOutcome> Applied, StopReason Stopped, int StillPending);

/// <summary>The answer to <c>down</c>.</summary>
public sealed record DownResult(IReadOnlyList<ScriptOutcome> Reverted)
{
    /// <summary>True when the time budget ran out before every script asked for was reverted.</summary>
    public bool BudgetSpent { get; init; }
}

/// <summary>What <c>up</c> would do for one script.</summary>
/// <param name="Error">Why the plan could not be made (the script threw while being planned), or null.</param>
public sealed record ScriptPlan(string Id, string Module, string Mode, IReadOnlyList<PlannedStep> Steps, string? Error)
{
    /// <summary>True when earlier scripts of the plan are pending: a plan error may only mean this script needs their changes, which plan does not apply.</summary>
    public bool AfterPendingScripts { get; init; }

    /// <summary>ALTERs that run as written on large tables, with how to run them online.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>The answer to <c>plan</c>.</summary>
public sealed record PlanReport(string Target, IReadOnlyList<ScriptPlan> Scripts);

/// <summary>The answer to <c>sync</c>.</summary>
public sealed record SyncResult(IReadOnlyList<string> Removed, bool DryRun);

/// <summary>One problem <c>validate</c> found.</summary>
public sealed record ValidationProblem(string ScriptId, string Kind, string Message);

/// <summary>The answer to <c>validate</c>.</summary>
public sealed record ValidationReport(IReadOnlyList<ValidationProblem> Problems)
{
    /// <summary>True when <c>validate</c> found no problem (<c>isValid</c> in JSON); warnings do not count.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>Pending SQL scripts' ALTERs that run as written on large tables; they do not make the report invalid.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>The answer to <c>baseline</c>: the scripts recorded as applied without running (or that would be, with <see cref="DryRun"/>).</summary>
/// <param name="Batch">The batch they were recorded as; null when there was nothing to record.</param>
public sealed record BaselineResult(IReadOnlyList<string> Recorded, int? Batch, bool DryRun);
