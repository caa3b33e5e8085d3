using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Swap.Dialects;
using Swap.History;

namespace Swap.Running;

/// <summary>What every script execution of one run shares: target, options, clock, logger and token.</summary>
internal sealed record RunContext(
    SwapDatabase Database,
    RunnerTables Tables,
    MigratorOptions Options,
    TimeProvider Time,
    ILogger Logger,
    CancellationToken CancellationToken)
{
    /// <summary>Callbacks that run around each script and each run.</summary>
    public Callbacks.CallbackSet Callbacks { get; init; } = Swap.Callbacks.CallbackSet.Empty;

    /// <summary>Values of <c>${name}</c> placeholders in SQL scripts and callbacks.</summary>
    public IReadOnlyDictionary<string, string> Placeholders { get; init; } = new Dictionary<string, string>();

    /// <summary>Receives progress snapshots of table swaps.</summary>
    public Action<SwapProgress>? OnProgress { get; init; }

    /// <summary>Hears scripts, steps and cut-over attempts (a rehearsal's recorder), or null.</summary>
    public IRunListener? Listener { get; init; }

    /// <summary>
    /// Asks whether the run lock is still this run's (its session may have ended: a network cut,
    /// an idle-session timeout, a kill). Long steps ask it as they go, so a run that lost the lock
    /// stops before a second runner and it both swap. Null when nothing holds a lock (plans).
    /// </summary>
    public Func<CancellationToken, Task<bool>>? RunLockHeld { get; init; }

    /// <summary>When the run's time budget is spent (a <see cref="TimeProvider"/> timestamp), or null.</summary>
    public long? BudgetEnds { get; init; }

    /// <summary>Stops a long step at a safe point once the budget is spent; the step resumes on the next run.</summary>
    public void ThrowIfBudgetSpent()
    {
        if (BudgetEnds is { } end && Time.GetTimestamp() >= end)
            throw new BudgetSpentException();
    }

    private static readonly ResiliencePropertyKey<string> WhatKey = new("swap.what");

    /// <summary>The run's one retry pipeline for transient errors, built on first use and reused by every step and chunk.</summary>
    private ResiliencePipeline TransientPipeline => transientPipeline ??= Retries.Pipeline(Time, Options.TransientRetries, new RetryStrategyOptions
        {
            Delay = Options.RetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is SwapException { IsTransient: true } && !Database.IsConnectionLost(e.InnerException ?? e)),
            OnRetry = args =>
            {
                var what = args.Context.Properties.GetValue(WhatKey, "a step");
                Log.Retrying(Logger, what, args.AttemptNumber + 1, Durations.Format(args.RetryDelay), args.Outcome.Exception?.Message ?? "");
                return ValueTask.CompletedTask;
            },
        });

    private ResiliencePipeline? transientPipeline;

    /// <summary>Runs an idempotent unit of work again after transient errors (deadlock, lock timeout), with backoff.</summary>
    public async Task<T> RetryTransientAsync<T>(string what, Func<CancellationToken, Task<T>> work)
    {
        var context = ResilienceContextPool.Shared.Get(CancellationToken);
        try
        {
            context.Properties.Set(WhatKey, what);
            return await TransientPipeline.ExecuteAsync(async (c, w) => await w(c.CancellationToken), context, work);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}

/// <summary>The time budget of <c>up --time-budget</c> ran out inside a resumable step.</summary>
internal sealed class BudgetSpentException : Exception
{
    public BudgetSpentException()
        : base("The time budget is spent.")
    {
    }

    public BudgetSpentException(string message)
        : base(message)
    {
    }

    public BudgetSpentException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
