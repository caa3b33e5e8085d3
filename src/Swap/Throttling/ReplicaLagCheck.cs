using System.Data.Common;
using System.Globalization;
using Swap.Control;
using Swap.Data;
using Swap.Dialects;

namespace Swap.Throttling;

/// <summary>
/// Reads the heartbeat row on one replica: its age by the runner's clock is the replica's lag, to
/// within one heartbeat interval (sub-second). A replica that cannot be read, or has no row yet,
/// throttles rather than being ignored.
/// </summary>
internal sealed class ReplicaLagCheck(SwapDatabase replica, string table, TimeProvider time) : IThrottleCheck
{
    private DbConnection? connection;

    /// <summary>The lag measured last, for status.</summary>
    public TimeSpan? LastLag { get; private set; }

    public async Task<ThrottleVerdict?> CheckAsync(DbConnection? primary, LiveSettings settings, CancellationToken cancellationToken)
    {
        object? beat;
        try
        {
            connection ??= await replica.OpenConnectionAsync(cancellationToken);
            beat = await connection.ScalarAsync($"SELECT beat FROM {replica.Dialect.Quote(table)} WHERE id = 1", cancellationToken);
        }
        catch (Exception e) when (replica.IsDatabaseError(e) || e is SwapException)
        {
            LastLag = null;
            if (connection is not null)
                await connection.DisposeAsync();
            connection = null;
            return new ThrottleVerdict($"replica {replica.DisplayName} cannot be read: {e.Message}");
        }
        if (beat is null or DBNull)
        {
            LastLag = null;
            return new ThrottleVerdict($"replica {replica.DisplayName} has no heartbeat yet");
        }
        var lag = Heartbeat.Lag(time, Convert.ToInt64(beat, CultureInfo.InvariantCulture));
        LastLag = lag;
        return lag > settings.MaxReplicaLag
            ? new ThrottleVerdict($"replica {replica.DisplayName} lags {lag.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)} s > {Durations.Format(settings.MaxReplicaLag)}")
            : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
            await connection.DisposeAsync();
    }
}
