using Swap.Data;

namespace Swap.Engine;

/// <summary>The first key at which a copy and the mapping of its original differ.</summary>
/// <param name="Missing">A key of the original whose mapped row is missing from the copy or differs there.</param>
/// <param name="Extra">A key the copy has and the original does not.</param>
internal sealed record KeyDifference(object?[]? Missing, object?[]? Extra)
{
    public object?[] Key => Missing ?? Extra!;
}

/// <summary>
/// Walks a spec's original by key in ranges of <see cref="RangeRows"/> rows and compares each range
/// of the copy with the mapping of the original (<see cref="SwapQueries"/>: one full outer join
/// where the engine has it, else a missing-or-different and an extra query). Each range is one
/// statement, so it reads both tables in one snapshot. Used by the swap's <see cref="Verifier"/>
/// and, in the other direction, by the revert's.
/// </summary>
internal sealed class TableComparer(TableEngine engine, Func<string, List<KeyValuePair<string, object?>>, Task<List<Row>>> query)
{
    public const int Chunk = 20_000;

    /// <summary>
    /// The most bytes of the original one range reads, by the catalog's estimate of its row width:
    /// 20,000 rows of documents or images (4 MB each) would be one 80 GB statement, with no progress
    /// and no pause, abort or time budget until it ends.
    /// </summary>
    internal const long RangeBytes = 64L << 20;

    /// <summary>The rows of one range of <paramref name="table"/>: <see cref="Chunk"/>, fewer (at least one) for rows wider than <see cref="RangeBytes"/> over it.</summary>
    public static int RangeRows(Schema.TableSchema table) =>
        table.RowBytes is { } rowBytes ? (int)Math.Clamp(RangeBytes / rowBytes, 1, Chunk) : Chunk;

    /// <summary>
    /// The first difference, or null when the tables agree. <paramref name="beforeRange"/> runs
    /// before each range (control point, run lock); <paramref name="afterRange"/> after each range
    /// that agreed, with true for the last and the rows of the original the range held (the last
    /// one counted, so that the total is the table's rows, not its estimate).
    /// </summary>
    public async Task<KeyDifference?> FirstDifferenceAsync(SwapSpec spec, Func<Task> beforeRange, Action<bool, long> afterRange)
    {
        object?[]? lower = null;
        var rangeRows = RangeRows(spec.Original);
        while (true)
        {
            await beforeRange();
            var upper = SwapQueries.BoundaryKey(await query(SwapQueries.Boundary(engine, spec, lower is not null, rangeRows), KeyRange.Parameters("l", lower).ToList()), spec);
            var parameters = KeyRange.Parameters("l", lower).Concat(KeyRange.Parameters("u", upper)).ToList();
            KeyDifference? difference;
            if (engine.FullOuterJoin && !SwapQueries.KeyComparesOtherwise(engine, spec))
            {
                var first = await FirstAsync(SwapQueries.Compare(engine, spec, lower is not null, upper is not null), parameters);
                difference = first is null ? null
                    : (string)first[0]! == "extra" ? new KeyDifference(null, first[1..]) : new KeyDifference(first[1..], null);
            }
            else
            {
                var missing = await FirstAsync(SwapQueries.MissingOrDifferent(engine, spec, lower is not null, upper is not null), parameters);
                var extra = missing is null ? await FirstAsync(SwapQueries.Extra(engine, spec, lower is not null, upper is not null), parameters) : null;
                difference = missing is null && extra is null ? null : new KeyDifference(missing, extra);
            }
            if (difference is not null)
                return difference;
            if (upper is null)
            {
                var rows = await query(SwapQueries.CountAfter(engine, spec, lower is not null), KeyRange.Parameters("l", lower).ToList());
                afterRange(true, Convert.ToInt64(rows[0][0], System.Globalization.CultureInfo.InvariantCulture));
                return null;
            }
            afterRange(false, rangeRows);
            lower = upper;
        }
    }

    /// <summary>The keys of <paramref name="keys"/> at which the copy and the original differ, in batches of 500 (a postponed cut-over's re-verification).</summary>
    public async Task<KeyDifference?> FirstDifferenceAsync(SwapSpec spec, IReadOnlyList<object?[]> keys)
    {
        foreach (var batch in keys.Chunk(500))
        {
            var parameters = KeyRange.InParameters("a", batch).ToList();
            var missing = await FirstAsync(RecentKeyQueries.MissingOrDifferent(engine, spec, batch.Length), parameters);
            var extra = missing is null ? await FirstAsync(RecentKeyQueries.Extra(engine, spec, batch.Length), parameters) : null;
            if (missing is not null || extra is not null)
                return new KeyDifference(missing, extra);
        }
        return null;
    }

    private async Task<object?[]?> FirstAsync(string sql, List<KeyValuePair<string, object?>> parameters)
    {
        var rows = await query(sql, parameters);
        return rows.Count == 0 ? null : Enumerable.Range(0, rows[0].Columns.Count).Select(i => rows[0][i]).ToArray();
    }
}
