using Microsoft.Extensions.Logging;

namespace Swap.Engine.Revert;

/// <summary>Log messages of revert windows (category Swap.Engine).</summary>
internal static partial class RevertLog
{
    [LoggerMessage(2200, LogLevel.Information, "{ScriptId}: revert window open for {Tables} ({Length}): the old tables are kept in sync; 'swap revert' takes the change back, 'swap finish' keeps it")]
    public static partial void WindowOpened(ILogger logger, string scriptId, string tables, string length);

    [LoggerMessage(2201, LogLevel.Information, "{ScriptId}: reverting the swap of {Tables} (stage '{Stage}')")]
    public static partial void Reverting(ILogger logger, string scriptId, string tables, string stage);

    [LoggerMessage(2202, LogLevel.Information, "{ScriptId}: swapped back {Tables} (cut-over attempts: {Attempts})")]
    public static partial void SwappedBack(ILogger logger, string scriptId, string tables, int attempts);

    [LoggerMessage(2203, LogLevel.Information, "{ScriptId}: revert window of {Tables} closed ({Why}); the old tables and the reverse capture are dropped")]
    public static partial void WindowClosed(ILogger logger, string scriptId, string tables, string why);

    [LoggerMessage(2210, LogLevel.Warning, "{ScriptId}: a revert of {Tables} was interrupted after stage '{Stage}', so the tables may no longer hold its change although it is recorded as applied; run 'swap revert {ScriptId}' to complete the revert")]
    public static partial void RevertInterrupted(ILogger logger, string scriptId, string tables, string stage);
}
