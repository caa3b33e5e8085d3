using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Swap.Engine;

/// <summary>
/// The retry discipline of every cut-over, forward or back (a revert): each attempt waits at most
/// <see cref="OnlineSwapOptions.CutOverLockTimeout"/> for its locks; an attempt that could not take
/// them, or whose rename session ended before the rename, is retried with exponential backoff and
/// jitter, <see cref="OnlineSwapOptions.CutOverRetries"/> times.
/// </summary>
internal static class CutOverRetry
{
    public static ResiliencePipeline Build(OnlineSwapOptions options, TableEngine engine, TimeProvider time, ILogger logger, string tables) =>
        Build(options, engine, time, (attempt, delay) => EngineLog.CutOverRetry(logger, tables, attempt, delay));

    /// <summary>The same discipline for another statement that must not wait long for its lock (capture's triggers); <paramref name="onRetry"/> logs each retry (attempt, delay).</summary>
    public static ResiliencePipeline Build(OnlineSwapOptions options, TableEngine engine, TimeProvider time, Action<int, string> onRetry) =>
        Running.Retries.Pipeline(time, options.CutOverRetries, new RetryStrategyOptions
            {
                Delay = options.CutOverRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                MaxDelay = TimeSpan.FromSeconds(10),
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => IsRetryable(engine, e)),
                OnRetry = args =>
                {
                    onRetry(args.AttemptNumber + 1, Durations.Format(args.RetryDelay));
                    return ValueTask.CompletedTask;
                },
            });

    /// <summary>
    /// " Holding it: ..." with the sessions that hold the tables (<see cref="TableEngine.LockHoldersAsync"/>),
    /// or "" when there are none to name or they cannot be read: the message must not fail for it.
    /// </summary>
    public static async Task<string> HoldersAsync(TableEngine engine, System.Data.Common.DbConnection connection, IReadOnlyList<string> tables)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var holders = await engine.LockHoldersAsync(connection, tables, timeout.Token);
            if (holders.Count == 0)
                return "";
            return (engine.LockHoldersExact ? " Holding it: " : " Sessions with an open transaction or a running statement, one of which holds it: ") + string.Join("; ", holders) + ".";
        }
        catch (Exception e) when (engine.Database.IsDatabaseError(e) || e is OperationCanceledException or InvalidOperationException)
        {
            return "";
        }
    }

    /// <summary>A cut-over attempt that could not take its locks in time, or whose rename session ended before the rename.</summary>
    public static bool IsRetryable(TableEngine engine, Exception e) =>
        engine.IsLockTimeout(e) || e is CutOverInterruptedException
        || (e is SwapException { InnerException: { } inner } && (engine.IsLockTimeout(inner) || inner is CutOverInterruptedException));
}
