using Microsoft.Extensions.Logging;

namespace Swap.Engine;

/// <summary>Log messages of the copy engine (category Swap.Engine).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(2000, LogLevel.Information, "{ScriptId}: resuming the swap of {Tables} after phase '{Phase}'")]
    public static partial void Resuming(ILogger logger, string scriptId, string tables, string phase);

    [LoggerMessage(2001, LogLevel.Warning, "Capture on {Table} is gone (removed outside Swap?); the copy may have missed writes, so it is emptied and copied again")]
    public static partial void CaptureLost(ILogger logger, string table);

    [LoggerMessage(2002, LogLevel.Warning, "Cut-over of {Tables} could not take its locks; attempt {Attempt} in {Delay}")]
    public static partial void CutOverRetry(ILogger logger, string tables, int attempt, string delay);

    [LoggerMessage(2003, LogLevel.Information, "Swapped in {Tables} (cut-over attempts: {Attempts})")]
    public static partial void Swapped(ILogger logger, string tables, int attempts);

    [LoggerMessage(2005, LogLevel.Information, "The cut-over of {Tables} had completed before the interruption; continuing after it")]
    public static partial void SwapFoundDone(ILogger logger, string tables);

    [LoggerMessage(2004, LogLevel.Information, "{ScriptId}: {Table}: {Phase} {Rows} of ~{Estimated} rows ({Rate} rows/s)")]
    public static partial void Progress(ILogger logger, string scriptId, string table, string phase, long rows, long estimated, long rate);

    [LoggerMessage(2006, LogLevel.Information, "The application is writing {Tables}: building the copy's indexes, then verifying, one after the other (not beside each other), to leave it the server's other cores")]
    public static partial void VerifyingAfterIndexes(ILogger logger, string tables);

    [LoggerMessage(2007, LogLevel.Information, "The application is writing {Tables}: building the copy's indexes now, on the rows copied so far, and keeping them current from here on")]
    public static partial void IndexesAtFirstWrite(ILogger logger, string tables);

    [LoggerMessage(2009, LogLevel.Information, "The application is writing {Tables}: building the copy's indexes without the server's parallel workers, to leave it the other cores")]
    public static partial void SerialIndexBuilds(ILogger logger, string tables);

    [LoggerMessage(2008, LogLevel.Debug, "Building the copy's indexes of {Tables} on a second connection while this one verifies")]
    public static partial void IndexesBesideVerification(ILogger logger, string tables);

    [LoggerMessage(2011, LogLevel.Warning, "Capture on {Tables} could not take the table's lock (a long transaction holds it); attempt {Attempt} in {Delay}")]
    public static partial void CaptureRetry(ILogger logger, string tables, int attempt, string delay);

    [LoggerMessage(2012, LogLevel.Information, "A unique index of the copy of {Table} met a value twice (attempt {Attempt}: {Reason}); the application moved it between rows and the change log is not all applied yet: catching up and building again")]
    public static partial void UniqueBuildRetry(ILogger logger, string table, int attempt, string reason);

    [LoggerMessage(2013, LogLevel.Warning, "{ScriptId}: a value did not fit the copy, and looking for its row failed ({Reason}); the message names the chunk's range instead")]
    public static partial void MisfitNotFound(ILogger logger, string scriptId, string reason);
}
