using System.Data.Common;
using System.Globalization;
using Swap.Data;

namespace Swap.Engine;

/// <summary>
/// How many rows a change log holds, cheap enough to ask every second while a swap runs: counted
/// exactly up to <see cref="CountedUpTo"/> rows, and beyond that estimated from the span of the
/// log's ids (<c>MAX(id) - MIN(id) + 1</c>, two index lookups; it also counts the ids of
/// application transactions that rolled back, so it can only overstate). A plain <c>COUNT(*)</c>
/// of a log of hundreds of thousands of rows takes seconds and a core, and the live status asked
/// for it every second, beside the applier it slowed down, exactly when the backlog was long.
/// </summary>
internal static class ChangeLogSize
{
    public const int CountedUpTo = 10_000;

    /// <summary>The rows of the log <paramref name="log"/> (a table name, unquoted), with its dialect's <paramref name="quote"/>.</summary>
    public static async Task<long> RowsAsync(DbConnection connection, Func<string, string> quote, string log, CancellationToken cancellationToken)
    {
        var table = quote(log);
        var counted = Convert.ToInt64(
            await connection.ScalarAsync($"SELECT COUNT(*) FROM (SELECT 1 AS x FROM {table} LIMIT {(CountedUpTo + 1).ToString(CultureInfo.InvariantCulture)}) b", cancellationToken),
            CultureInfo.InvariantCulture);
        if (counted <= CountedUpTo)
            return counted;
        var id = quote("id");
        var span = await connection.ScalarAsync($"SELECT MAX({id}) - MIN({id}) + 1 FROM {table}", cancellationToken);
        return span is null or DBNull ? counted : Math.Max(counted, Convert.ToInt64(span, CultureInfo.InvariantCulture));
    }
}
