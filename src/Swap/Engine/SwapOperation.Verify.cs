using System.Data.Common;
using Swap.Data;

namespace Swap.Engine;

internal sealed partial class SwapOperation
{
    private const int VerifyChunk = 20_000;

    /// <summary>
    /// Compares the copy with the original through the column mapping, chunk by chunk. Each chunk
    /// is one statement, so it reads both tables in one snapshot; capture writes both in the same
    /// transaction, so a consistent snapshot must agree. A difference stops before the swap.
    /// </summary>
    private async Task VerifyTableAsync(SwapSpec spec)
    {
        object?[]? lower = null;
        long verified = 0;
        var started = session.Run.Time.GetTimestamp();
        while (true)
        {
            if (!state.InTransaction)
                session.Run.ThrowIfBudgetSpent();
            await ControlPointAsync();
            await EnsureRunLockAsync();
            var upper = await BoundaryAsync(spec, lower, VerifyChunk);
            var parameters = KeyRange.Parameters("l", lower).Concat(KeyRange.Parameters("u", upper)).ToList();
            object?[]? missing;
            object?[]? extra = null;
            if (engine.FullOuterJoin)
            {
                var first = await FirstAsync(SwapQueries.Compare(engine, spec, lower is not null, upper is not null), parameters);
                missing = first is not null && (string)first[0]! != "extra" ? first[1..] : null;
                extra = first is not null && (string)first[0]! == "extra" ? first[1..] : null;
            }
            else
            {
                missing = await FirstAsync(SwapQueries.MissingOrDifferent(engine, spec, lower is not null, upper is not null), parameters);
                extra = missing is null ? await FirstAsync(SwapQueries.Extra(engine, spec, lower is not null, upper is not null), parameters) : null;
            }
            if (missing is not null || extra is not null)
                await FailVerificationAsync(spec, missing, extra);
            // A chunk spans VerifyChunk rows except the last, which ends the table.
            verified = upper is null ? Math.Max(verified, spec.Original.EstimatedRows) : verified + VerifyChunk;
            var rate = verified / Math.Max(0.001, session.Run.Time.GetElapsedTime(started).TotalSeconds);
            var rows = upper is null ? verified : Math.Min(verified, spec.Original.EstimatedRows);
            var silent = silentWhile is { IsCompleted: false };
            if (!silent)
                Report(spec, SwapPhase.Verifying, rows, rate, VerifyChunk);
            if (upper is null)
            {
                if (silent)
                    verifiedRows.Add((spec, rows));
                return;
            }
            lower = upper;
        }
    }

    private async Task<object?[]?> FirstAsync(string sql, List<KeyValuePair<string, object?>> parameters)
    {
        List<Row> rows;
        try
        {
            rows = await Connection.QueryAsync(sql, parameters, state.Transaction, Token);
        }
        catch (Exception e) when (session.Database.IsDatabaseError(e))
        {
            throw session.Database.Translate(e, $"{session.Script.Id}: verify the copy");
        }
        return rows.Count == 0 ? null : Enumerable.Range(0, rows[0].Columns.Count).Select(i => rows[0][i]).ToArray();
    }

    private async Task FailVerificationAsync(SwapSpec spec, object?[]? missing, object?[]? extra)
    {
        var what = missing is not null
            ? $"the original row with key {KeyValues.Show(missing)} is missing from the copy or differs from it"
            : $"the copy has a row with key {KeyValues.Show(extra!)} that the original does not have";
        var hint = spec.CaptureMayFail
            ? " A new unique index, a NOT NULL column or a FillWith expression may have rejected a write the application made during the copy."
            : "";
        data.Failure = $"{spec.Original.Name}: {what}";
        if (!state.InTransaction)
        {
            // Stop adding work to the application's writes; the copy stays for inspection.
            foreach (var s in specs)
                await ExecAllAsync(engine.RemoveCapture(s), "remove capture after a failed verification");
            await SaveAsync(SwapStage.VerifyFailed);
        }
        throw new SwapException(
            SwapErrorKind.VerificationFailed,
            $"{session.Script.Id}: the copy of '{spec.Original.Name}' does not match the original: {what}.{hint} Nothing was swapped; the original is intact. " +
            (state.InTransaction ? "The rebuild was rolled back." : $"The copy {spec.Names.Copy} is kept for inspection; 'swap cleanup --script {session.Script.Id}' removes it and lets the swap start over."))
        { ScriptId = session.Script.Id };
    }
}
