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
            var reason = replica.IsUnknownDatabase(e) ? NoSuchDatabase : $"replica {replica.DisplayName} cannot be read: {e.Message}";
            if (connection is not null)
            {
                // Reached, but no heartbeat table: the server's "relation does not exist" hides the likely cause.
                if (!replica.IsConnectionLost(e) && await HasNoHeartbeatTableAsync(connection, cancellationToken))
                    reason = $"replica {replica.DisplayName} has no heartbeat table {table}: check that its URL names the target's database and schema, and that it replicates them.";
                await connection.DisposeAsync();
            }
            connection = null;
            return new ThrottleVerdict(reason);
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

    /// <summary>A replica takes its databases from the primary: creating one there is never the fix.</summary>
    private string NoSuchDatabase =>
        $"replica {replica.DisplayName} has no such database: a replica takes its databases from the primary, so check that the --replica URL names the target's database (and schema), and that the replica replicates it.";

    /// <summary>
    /// Connects once before the swap starts: a replica URL that can never work (a database the
    /// replica does not have, refused credentials) is a usage error now, not a throttle that holds
    /// the swap forever. A replica that cannot be reached (down for now, restarting) throttles the
    /// swap as usual until it can be read.
    /// </summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            connection ??= await replica.OpenConnectionAsync(cancellationToken);
        }
        catch (SwapException e) when (replica.IsUnknownDatabase(e) || replica.IsLoginRefused(e))
        {
            var why = replica.IsUnknownDatabase(e) ? NoSuchDatabase : $"replica {replica.DisplayName} refused the user name or password of the --replica URL (a replica takes its users from the primary).";
            throw new SwapException(SwapErrorKind.Usage, $"{why} Fix or leave out --replica; nothing was copied.", e);
        }
        catch (SwapException e) when (e.Kind == SwapErrorKind.Connection)
        {
            // Throttles at the first boundary, saying why.
        }
    }

    private async Task<bool> HasNoHeartbeatTableAsync(DbConnection open, CancellationToken cancellationToken)
    {
        try
        {
            return !await replica.TableExistsAsync(open, table, cancellationToken);
        }
        catch (Exception e) when (replica.IsDatabaseError(e))
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
            await connection.DisposeAsync();
    }
}
