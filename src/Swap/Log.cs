using Microsoft.Extensions.Logging;

namespace Swap;

/// <summary>All log messages of the core, source-generated; event ids are stable.</summary>
internal static partial class Log
{
    internal static class Events
    {
        public const int LockAcquired = 1000;
        public const int LockWaiting = 1001;
        public const int LockReleased = 1002;
        public const int LockReclaimed = 1003;
        public const int ScriptStarting = 1100;
        public const int ScriptApplied = 1101;
        public const int ScriptFailed = 1102;
        public const int ScriptReverted = 1103;
        public const int ScriptResuming = 1104;
        public const int SwitchedToJournal = 1105;
        public const int BudgetSpent = 1106;
        public const int StepSkipped = 1107;
        public const int StatementRetried = 1108;
        public const int DdlAlreadyApplied = 1109;
        public const int RevertingChanged = 1110;
        public const int HistoryCreated = 1200;
        public const int HistorySynced = 1201;
        public const int Baselined = 1202;
        public const int UnusedTablesDropped = 1203;
        public const int CreatedStoreRemoved = 1204;
        public const int Compiling = 1300;
        public const int NameOrdered = 1301;
        public const int InstantChanging = 1400;
        public const int InstantRetrying = 1401;
        public const int InstantUnsupported = 1402;
        public const int InstantAlreadyDone = 1403;
        public const int ChangeMethod = 1404;
        public const int InstantUndoFailed = 1405;
        public const int CallbackRunning = 1500;
    }

    [LoggerMessage(Events.NameOrdered, LogLevel.Warning, "{Warning}")]
    public static partial void NameOrdered(ILogger logger, string warning);

    [LoggerMessage(Events.LockAcquired, LogLevel.Debug, "Took the run lock on {Scope} as {Holder}")]
    public static partial void LockAcquired(ILogger logger, string scope, string holder);

    [LoggerMessage(Events.LockWaiting, LogLevel.Information, "Waiting for the run lock on {Scope}, held by {Holder}")]
    public static partial void LockWaiting(ILogger logger, string scope, string holder);

    [LoggerMessage(Events.LockReclaimed, LogLevel.Warning, "The run lock on {Scope} was held by {Holder}, a process on this host that no longer runs; its server session was ended to take the lock over")]
    public static partial void LockReclaimed(ILogger logger, string scope, string holder);

    [LoggerMessage(Events.LockReleased, LogLevel.Debug, "Released the run lock on {Scope}")]
    public static partial void LockReleased(ILogger logger, string scope);

    [LoggerMessage(Events.ScriptStarting, LogLevel.Information, "Applying {ScriptId} ({Kind}, {Mode})")]
    public static partial void ScriptStarting(ILogger logger, string scriptId, string kind, string mode);

    [LoggerMessage(Events.ScriptApplied, LogLevel.Information, "Applied {ScriptId} in {Duration}")]
    public static partial void ScriptApplied(ILogger logger, string scriptId, string duration);

    [LoggerMessage(Events.ScriptFailed, LogLevel.Error, "{ScriptId} failed: {Error}")]
    public static partial void ScriptFailed(ILogger logger, string scriptId, string error);

    [LoggerMessage(Events.RevertingChanged, LogLevel.Warning, "{ScriptId} changed since it was applied (recorded checksum {Recorded}, now {Now}): running the down it has now, which may not undo what was applied")]
    public static partial void RevertingChanged(ILogger logger, string scriptId, string recorded, string now);

    [LoggerMessage(Events.ScriptReverted, LogLevel.Information, "Reverted {ScriptId} in {Duration}")]
    public static partial void ScriptReverted(ILogger logger, string scriptId, string duration);

    [LoggerMessage(Events.ScriptResuming, LogLevel.Information, "Resuming {ScriptId}: {Done} journaled step(s) already done; interrupted step: {Interrupted}")]
    public static partial void ScriptResuming(ILogger logger, string scriptId, int done, string interrupted);

    [LoggerMessage(Events.SwitchedToJournal, LogLevel.Information, "{ScriptId} swaps tables online, so it now runs step by step with a journal instead of in one transaction")]
    public static partial void SwitchedToJournal(ILogger logger, string scriptId);

    [LoggerMessage(Events.BudgetSpent, LogLevel.Information, "Time budget of {Budget} spent; stopping after {ScriptId}. Run 'swap up' again to continue")]
    public static partial void BudgetSpent(ILogger logger, string budget, string scriptId);

    [LoggerMessage(Events.StepSkipped, LogLevel.Debug, "{ScriptId} step {Seq} ({Op}) was done before; skipping")]
    public static partial void StepSkipped(ILogger logger, string scriptId, int seq, string op);

    [LoggerMessage(Events.StatementRetried, LogLevel.Warning, "Transient error on {What}, retry {Attempt} in {Delay}: {Error}")]
    public static partial void Retrying(ILogger logger, string what, int attempt, string delay, string error);

    [LoggerMessage(Events.DdlAlreadyApplied, LogLevel.Warning, "{ScriptId} step {Seq} was interrupted and its DDL had already taken effect ({Error}); counting it as done")]
    public static partial void DdlAlreadyApplied(ILogger logger, string scriptId, int seq, string error);

    [LoggerMessage(Events.HistoryCreated, LogLevel.Information, "Created the history table {Table}")]
    public static partial void HistoryCreated(ILogger logger, string table);

    [LoggerMessage(Events.UnusedTablesDropped, LogLevel.Information, "Nothing was applied to a database new to Swap: dropped Swap's own tables again ({Tables})")]
    public static partial void UnusedTablesDropped(ILogger logger, string tables);

    [LoggerMessage(Events.CreatedStoreRemoved, LogLevel.Information, "Nothing was applied: removed {Database} again, which this run had created")]
    public static partial void CreatedStoreRemoved(ILogger logger, string database);

    [LoggerMessage(Events.HistorySynced, LogLevel.Information, "Removed history of {ScriptId}: its script is gone")]
    public static partial void HistorySynced(ILogger logger, string scriptId);

    [LoggerMessage(Events.Baselined, LogLevel.Information, "Recorded {ScriptId} as applied without running it (baseline)")]
    public static partial void Baselined(ILogger logger, string scriptId);

    [LoggerMessage(Events.CallbackRunning, LogLevel.Information, "Running the {Event} callback {Callback}")]
    public static partial void CallbackRunning(ILogger logger, string @event, string callback);

    [LoggerMessage(Events.Compiling, LogLevel.Debug, "Compiling {Count} C# migration file(s)")]
    public static partial void Compiling(ILogger logger, int count);

    [LoggerMessage(Events.InstantChanging, LogLevel.Information, "{ScriptId} {Table}: {Method}")]
    public static partial void InstantChanging(ILogger logger, string scriptId, string table, string method);

    [LoggerMessage(Events.InstantRetrying, LogLevel.Warning, "The change of {Tables} waited too long for its lock; retry {Attempt} in {Delay}")]
    public static partial void InstantRetrying(ILogger logger, string tables, int attempt, string delay);

    [LoggerMessage(Events.InstantUnsupported, LogLevel.Information, "{Table}: the server cannot make this change in place ({Error}); copying instead")]
    public static partial void InstantUnsupported(ILogger logger, string table, string error);

    [LoggerMessage(Events.InstantAlreadyDone, LogLevel.Warning, "{ScriptId}: an interrupted change had already taken effect ({Error}); counting it as done")]
    public static partial void InstantAlreadyDone(ILogger logger, string scriptId, string error);

    [LoggerMessage(Events.InstantUndoFailed, LogLevel.Warning, "{ScriptId}: could not take back '{Sql}' after the change failed ({Error}); run it by hand")]
    public static partial void InstantUndoFailed(ILogger logger, string scriptId, string sql, string error);

    [LoggerMessage(Events.ChangeMethod, LogLevel.Information, "{ScriptId}: copy-and-swap, because {Why}")]
    public static partial void CopyChosen(ILogger logger, string scriptId, string why);
}
