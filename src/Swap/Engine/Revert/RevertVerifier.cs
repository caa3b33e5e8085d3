using System.Data.Common;
using Swap.Data;
using Swap.Running;

namespace Swap.Engine.Revert;

/// <summary>
/// Before a revert swaps the old tables back (and so before it drops the swapped-in ones): compares
/// each old table with the reverse mapping of the new one, chunk by chunk, with the forward
/// verifier's walk (<see cref="TableComparer"/>), skipping keys still in the reverse log. The
/// columns the old table keeps on its own (insert-only values of dropped columns) are not
/// compared. A difference stops the revert with the window still open.
/// </summary>
internal static class RevertVerifier
{
    public static async Task VerifyAsync(RunContext run, DbConnection connection, SwapSpec reverse, string scriptId)
    {
        var spec = reverse with { Mapping = reverse.Mapping.Where(m => !reverse.InsertOnly.Contains(m.CopyColumn)).ToList() };
        var comparer = new TableComparer(run.Database.TableEngine, (sql, parameters) => QueryAsync(run, connection, sql, parameters, scriptId));
        if (await comparer.FirstDifferenceAsync(spec, () => Task.CompletedTask, (_, _) => { }) is { } difference)
        {
            throw new SwapException(
                SwapErrorKind.VerificationFailed,
                $"{scriptId}: the old table {spec.Names.Copy} does not match '{spec.Original.Name}' through the reverse mapping at key {KeyValues.Show(difference.Key)}; nothing was swapped back and the window stays open. " +
                $"Find the cause (a write to the old table outside Swap?); 'swap finish {scriptId}' keeps the change.")
            { ScriptId = scriptId };
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
