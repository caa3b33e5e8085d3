using Microsoft.Extensions.Logging;

namespace Swap;

/// <summary>Log messages of operator control, throttling and live status (category Swap.Control).</summary>
internal static partial class ControlLog
{
    [LoggerMessage(2100, LogLevel.Information, "{ScriptId}: took '{Command}' from {SentBy}: {Outcome}")]
    public static partial void CommandTaken(ILogger logger, string scriptId, string command, string sentBy, string outcome);

    [LoggerMessage(2101, LogLevel.Warning, "{ScriptId}: throttled: {Reason}")]
    public static partial void Throttled(ILogger logger, string scriptId, string reason);

    [LoggerMessage(2102, LogLevel.Information, "{ScriptId}: throttle lifted after {Duration}")]
    public static partial void ThrottleLifted(ILogger logger, string scriptId, string duration);

    [LoggerMessage(2103, LogLevel.Warning, "{ScriptId}: paused by {By}; 'swap resume' continues")]
    public static partial void Paused(ILogger logger, string scriptId, string by);

    [LoggerMessage(2104, LogLevel.Information, "{ScriptId}: resumed")]
    public static partial void Resumed(ILogger logger, string scriptId);

    [LoggerMessage(2105, LogLevel.Warning, "Control table or live status unavailable ({Error}); trying again at the next boundary")]
    public static partial void ControlUnavailable(ILogger logger, string error);

    [LoggerMessage(2106, LogLevel.Debug, "Heartbeat write failed: {Error}")]
    public static partial void HeartbeatFailed(ILogger logger, string error);

    [LoggerMessage(2107, LogLevel.Information, "{ScriptId}: {Tables} copied and verified; the cut-over waits for 'swap cut-over' (capture and the applier keep the copy current)")]
    public static partial void CutOverPostponed(ILogger logger, string scriptId, string tables);

    [LoggerMessage(2108, LogLevel.Information, "{ScriptId}: re-verified {Keys} recently changed key(s) of {Table}")]
    public static partial void Reverified(ILogger logger, string scriptId, string table, int keys);

    [LoggerMessage(2109, LogLevel.Warning, "{ScriptId}: the {Operation} was aborted by {By}. {Aftermath}")]
    public static partial void Aborting(ILogger logger, string scriptId, string operation, string by, string aftermath);
}
