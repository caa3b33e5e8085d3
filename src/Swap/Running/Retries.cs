using Polly;
using Polly.Retry;

namespace Swap.Running;

/// <summary>Builds Swap's retry pipelines (transient errors, cut-over attempts) from a count that may be 0.</summary>
internal static class Retries
{
    /// <summary>
    /// A pipeline that retries as <paramref name="retry"/> says, <paramref name="retries"/> times
    /// after the first attempt; with 0 (or less) it runs once and retries nothing. Polly's retry
    /// strategy needs at least one retry, so 0 must not reach it.
    /// </summary>
    public static ResiliencePipeline Pipeline(TimeProvider time, int retries, RetryStrategyOptions retry)
    {
        if (retries <= 0)
            return ResiliencePipeline.Empty;
        retry.MaxRetryAttempts = retries;
        return new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(retry).Build();
    }
}
