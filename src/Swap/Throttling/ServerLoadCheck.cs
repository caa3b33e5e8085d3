using System.Data.Common;
using System.Globalization;
using Swap.Control;
using Swap.Data;
using Swap.Dialects;

namespace Swap.Throttling;

/// <summary>
/// Throttles above <c>--max-load</c> and pauses above <c>--critical-load</c>, on the server's own
/// signal: MariaDB/MySQL <c>Threads_running</c> (less this session), PostgreSQL active client
/// backends (other than this one).
/// </summary>
internal sealed class ServerLoadCheck(SwapDatabase database) : IThrottleCheck
{
    public async Task<ThrottleVerdict?> CheckAsync(DbConnection? primary, LiveSettings settings, CancellationToken cancellationToken)
    {
        if ((settings.MaxLoad is null && settings.CriticalLoad is null) || database.Dialect.ServerLoadQuery is not { } sql)
            return null;
        var name = database.Dialect.ServerLoadName;
        if (primary is null)
            return new ThrottleVerdict($"cannot reach {database.DisplayName} to read {name}");
        long? read;
        try
        {
            read = await ReadAsync(database, primary, cancellationToken);
        }
        catch (Exception e) when (database.IsDatabaseError(e))
        {
            return new ThrottleVerdict($"cannot read {name}: {e.Message}");
        }
        if (read is not { } load)
            return new ThrottleVerdict($"cannot read {name}: the server returned no row for it");
        if (settings.CriticalLoad is { } critical && load > critical)
            return new ThrottleVerdict($"critical load: {name} {load} > {critical}", Critical: true);
        if (settings.MaxLoad is { } max && load > max)
            return new ThrottleVerdict($"load: {name} {load} > {max}");
        return null;
    }

    /// <summary>
    /// The load signal now: the last column of the first row of the dialect's statement (a
    /// <c>SHOW ... STATUS</c> row is name and value), less the asking session where the engine
    /// counts it; null when the statement returns no row.
    /// </summary>
    internal static async Task<long?> ReadAsync(SwapDatabase database, DbConnection connection, CancellationToken cancellationToken)
    {
        if (database.Dialect.ServerLoadQuery is not { } sql)
            return null;
        var rows = await connection.QueryAsync(sql, null, cancellationToken);
        if (rows.Count == 0 || rows[0][rows[0].Columns.Count - 1] is not { } value)
            return null;
        return Convert.ToInt64(value, CultureInfo.InvariantCulture) - (database.Dialect.ServerLoadCountsSelf ? 1 : 0);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
