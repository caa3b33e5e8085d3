using System.Data.Common;
using System.Globalization;
using Swap.Control;
using Swap.Data;
using Swap.Dialects;

namespace Swap.Throttling;

/// <summary>Throttles while a query of the operator's own (<c>--throttle-query</c>) returns a number above zero.</summary>
internal sealed class QueryCheck(SwapDatabase database, string sql) : IThrottleCheck
{
    public async Task<ThrottleVerdict?> CheckAsync(DbConnection? primary, LiveSettings settings, CancellationToken cancellationToken)
    {
        if (primary is null)
            return new ThrottleVerdict($"cannot reach {database.DisplayName} to run the throttle query");
        double value;
        try
        {
            var result = await primary.ScalarAsync(sql, cancellationToken);
            value = result is null or DBNull ? 0 : Convert.ToDouble(result, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (database.IsDatabaseError(e) || e is FormatException or InvalidCastException)
        {
            return new ThrottleVerdict($"the throttle query failed: {e.Message}");
        }
        return value > 0 ? new ThrottleVerdict($"the throttle query returned {value.ToString(CultureInfo.InvariantCulture)}") : null;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
