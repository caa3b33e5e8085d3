using System.Data.Common;
using Swap.Data;
using Swap.Running;

namespace Swap.Engine.Revert;

/// <summary>
/// Before a revert swaps the old tables back (and so before it drops the swapped-in ones): compares
/// each old table with the reverse mapping of the new one, chunk by chunk, with the forward
/// verifier's queries (<see cref="SwapQueries"/>), skipping keys still in the reverse log. The
/// columns the old table keeps on its own (insert-only values of dropped columns) are not
/// compared. A difference stops the revert with the window still open.
/// </summary>
internal static class RevertVerifier
{
    private const int Chunk = 20_000;

    public static async Task VerifyAsync(RunContext run, DbConnection connection, SwapSpec reverse, string scriptId)
    {
        var engine = run.Database.TableEngine;
        var spec = reverse with { Mapping = reverse.Mapping.Where(m => !reverse.InsertOnly.Contains(m.CopyColumn)).ToList() };
        object?[]? lower = null;
        while (true)
        {
            var bound = await QueryAsync(run, connection, SwapQueries.Boundary(engine, spec, lower is not null, Chunk), KeyRange.Parameters("l", lower).ToList(), scriptId);
            var upper = bound.Count == 0 ? null : Enumerable.Range(0, spec.Key.Count).Select(i => bound[0][i]).ToArray();
            var parameters = KeyRange.Parameters("l", lower).Concat(KeyRange.Parameters("u", upper)).ToList();
            object?[]? different;
            if (engine.FullOuterJoin)
            {
                var rows = await QueryAsync(run, connection, SwapQueries.Compare(engine, spec, lower is not null, upper is not null), parameters, scriptId);
                different = rows.Count == 0 ? null : Enumerable.Range(1, spec.Key.Count).Select(i => rows[0][i]).ToArray();
            }
            else
            {
                var rows = await QueryAsync(run, connection, SwapQueries.MissingOrDifferent(engine, spec, lower is not null, upper is not null), parameters, scriptId);
                if (rows.Count == 0)
                    rows = await QueryAsync(run, connection, SwapQueries.Extra(engine, spec, lower is not null, upper is not null), parameters, scriptId);
                different = rows.Count == 0 ? null : Enumerable.Range(0, spec.Key.Count).Select(i => rows[0][i]).ToArray();
            }
            if (different is not null)
            {
                throw new SwapException(
                    SwapErrorKind.VerificationFailed,
                    $"{scriptId}: the old table {spec.Names.Copy} does not match '{spec.Original.Name}' through the reverse mapping at key {KeyValues.Show(different)}; nothing was swapped back and the window stays open. " +
                    $"Find the cause (a write to the old table outside Swap?); 'swap finish {scriptId}' keeps the change.")
                { ScriptId = scriptId };
            }
            if (upper is null)
                return;
            lower = upper;
        }
    }

    private static async Task<List<Row>> QueryAsync(RunContext run, DbConnection connection, string sql, List<KeyValuePair<string, object?>> parameters, string scriptId)
    {
        try
        {
            return await connection.QueryAsync(sql, parameters, null, run.CancellationToken);
        }
        catch (Exception e) when (run.Database.IsDatabaseError(e))
        {
            throw run.Database.Translate(e, $"{scriptId}: verify the old table before the revert");
        }
    }
}
