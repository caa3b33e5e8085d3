using Swap.Dialects;

namespace Swap;

/// <summary>
/// When a swap slows down: replica lag, server load, a query of your own. Consulted at every chunk
/// and applier-batch boundary; a throttled swap waits, checking again, and says why and since when.
/// </summary>
public sealed class ThrottleOptions
{
    /// <summary>
    /// Replicas (MySQL/MariaDB replicas, PostgreSQL hot standbys) whose lag is measured with a
    /// heartbeat row Swap writes on the primary. Give each the same database (and schema) as the
    /// target. A replica that cannot be read throttles.
    /// </summary>
    public IList<SwapDatabase> Replicas { get; } = [];

    /// <summary>Throttle while a replica lags more than this (default 1 s).</summary>
    public TimeSpan MaxReplicaLag { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Throttle while the server's load signal (MariaDB/MySQL Threads_running less Swap's session, PostgreSQL active client backends other than Swap's) is above this; null: never.</summary>
    public long? MaxLoad { get; set; }

    /// <summary>Pause (until <c>swap resume</c>) when the load signal is above this; null: never.</summary>
    public long? CriticalLoad { get; set; }

    /// <summary>A query of your own returning one number, run on the target; the swap throttles while it is above zero.</summary>
    public string? Query { get; set; }

    /// <summary>How often the checks run while nothing throttles, and how long a throttled or paused swap waits between checks (default 250 ms).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the heartbeat row is written on the primary while replicas are watched (default 100 ms).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    internal bool Any => Replicas.Count > 0 || MaxLoad is not null || CriticalLoad is not null || Query is not null;
}
