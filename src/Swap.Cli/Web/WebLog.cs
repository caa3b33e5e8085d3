using Microsoft.Extensions.Logging;

namespace Swap.Cli.Web;

/// <summary>The web console's log messages: every action with who sent it (remote address) and when, and refused requests.</summary>
internal static partial class WebLog
{
    public static class Ids
    {
        public const int Listening = 3100;
        public const int ActionTaken = 3101;
        public const int ActionFailed = 3102;
        public const int Refused = 3103;
        public const int RunFinished = 3104;
        public const int LoggedIn = 3105;
        public const int RunCrashed = 3106;
        public const int LiveReadFailed = 3107;
    }

    [LoggerMessage(EventId = Ids.Listening, Level = LogLevel.Information, Message = "Console for {Target} on {Url} ({Mode})")]
    public static partial void Listening(ILogger logger, string target, string url, string mode);

    [LoggerMessage(EventId = Ids.ActionTaken, Level = LogLevel.Information, Message = "Action {Action}{Detail} by {Remote} at {AtUtc:u}")]
    public static partial void ActionTaken(ILogger logger, string action, string detail, string remote, DateTime atUtc);

    [LoggerMessage(EventId = Ids.ActionFailed, Level = LogLevel.Warning, Message = "Action {Action} by {Remote} failed: {Message}")]
    public static partial void ActionFailed(ILogger logger, string action, string remote, string message);

    [LoggerMessage(EventId = Ids.Refused, Level = LogLevel.Warning, Message = "Refused {Method} {Path} from {Remote}: {Reason}")]
    public static partial void Refused(ILogger logger, string method, string path, string remote, string reason);

    [LoggerMessage(EventId = Ids.RunFinished, Level = LogLevel.Information, Message = "Run {What} started by {Remote} ended: {Outcome}")]
    public static partial void RunFinished(ILogger logger, string what, string remote, string outcome);

    [LoggerMessage(EventId = Ids.RunCrashed, Level = LogLevel.Error, Message = "Run {What} failed unexpectedly")]
    public static partial void RunCrashed(ILogger logger, string what, Exception exception);

    [LoggerMessage(EventId = Ids.LoggedIn, Level = LogLevel.Information, Message = "Signed in from {Remote} at {AtUtc:u}")]
    public static partial void LoggedIn(ILogger logger, string remote, DateTime atUtc);

    [LoggerMessage(EventId = Ids.LiveReadFailed, Level = LogLevel.Warning, Message = "Could not read the live status (the chart misses these seconds; tried again every few seconds): {Message}")]
    public static partial void LiveReadFailed(ILogger logger, string message);
}
