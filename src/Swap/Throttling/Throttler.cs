using System.Data.Common;
using Microsoft.Extensions.Logging;
using Swap.Control;
using Swap.Dialects;
using Swap.History;

namespace Swap.Throttling;

/// <summary>
/// Decides whether the next chunk may run: asks every check (server load, the operator's query,
/// each replica's lag) and returns the first reason to wait, a critical one first. Owns the
/// heartbeat writer while replicas are watched.
/// </summary>
internal sealed class Throttler : IAsyncDisposable
{
    private readonly List<IThrottleCheck> checks = [];
    private readonly HeartbeatWriter? heartbeat;

    public Throttler(SwapDatabase database, RunnerTables tables, ThrottleOptions options, TimeProvider time, ILogger logger)
    {
        // Always there: 'swap set max-load 50' may turn it on during the run.
        checks.Add(new ServerLoadCheck(database));
        if (!string.IsNullOrWhiteSpace(options.Query))
            checks.Add(new QueryCheck(database, options.Query));
        foreach (var replica in options.Replicas)
            checks.Add(new ReplicaLagCheck(replica, tables.Heartbeat, time));
        if (options.Replicas.Count > 0)
            heartbeat = new HeartbeatWriter(database, tables.Heartbeat, options.HeartbeatInterval, time, logger);
    }

    /// <summary>Checks that each replica can be reached at all, then starts the heartbeat.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var replica in checks.OfType<ReplicaLagCheck>())
            await replica.ProbeAsync(cancellationToken);
        if (heartbeat is not null)
            await heartbeat.StartAsync(cancellationToken);
    }

    /// <summary>True when some check can hold the swap with these settings (otherwise nothing is asked, and no connection is needed).</summary>
    public bool Active(LiveSettings settings) => checks.Count > 1 || settings.MaxLoad is not null || settings.CriticalLoad is not null;

    public async Task<ThrottleVerdict?> CheckAsync(DbConnection? primary, LiveSettings settings, CancellationToken cancellationToken)
    {
        ThrottleVerdict? first = null;
        foreach (var check in checks)
        {
            var verdict = await check.CheckAsync(primary, settings, cancellationToken);
            if (verdict is { Critical: true })
                return verdict;
            first ??= verdict;
        }
        return first;
    }

    public async ValueTask DisposeAsync()
    {
        if (heartbeat is not null)
            await heartbeat.DisposeAsync();
        foreach (var check in checks)
            await check.DisposeAsync();
    }
}
