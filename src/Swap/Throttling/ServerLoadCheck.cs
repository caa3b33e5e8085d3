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
        long load;
        try
        {
            load = Convert.ToInt64(await primary.ScalarAsync(sql, cancellationToken), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (database.IsDatabaseError(e))
        {
            return new ThrottleVerdict($"cannot read {name}: {e.Message}");
        }
        if (settings.CriticalLoad is { } critical && load > critical)
            return new ThrottleVerdict($"critical load: {name} {load} > {critical}", Critical: true);
        if (settings.MaxLoad is { } max && load > max)
            return new ThrottleVerdict($"load: {name} {load} > {max}");
        return null;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
