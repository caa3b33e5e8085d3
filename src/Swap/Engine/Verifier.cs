namespace Swap.Engine;

/// <summary>
/// Checks that each copy equals the mapping of its original before anything is swapped: the whole
/// table chunk by chunk (<see cref="TableComparer"/>) once copied, indexed and caught up, and while a
/// cut-over is postponed, the keys the applier changed since the last check. A difference removes
/// capture, records <see cref="SwapStage.VerifyFailed"/> and stops with the original intact.
/// </summary>
internal sealed class Verifier(SwapContext swap, Capture capture)
{
    private const int MaxRecentKeys = 10_000;

    private readonly TableComparer comparer = new(swap.Engine, (sql, parameters) => swap.QueryAsync(sql, parameters, "verify the copy"));
    private readonly Dictionary<string, List<object?[]>> recentKeys = new(StringComparer.Ordinal);
    private readonly List<(SwapSpec Spec, long Rows)> verifiedRows = [];

    /// <summary>While set and running, verification reports nothing (the indexes are still being built).</summary>
    public Task? SilentWhile { get; set; }

    /// <summary>
    /// Stops whatever runs beside verification before a failure is recorded (the index builds on
    /// their own connection): removing capture needs the write lock, which on SQLite a running
    /// <c>CREATE INDEX</c> holds for as long as it runs.
    /// </summary>
    public Func<Task>? StopBesideAsync { get; set; }


    /// <summary>Compares the copy of <paramref name="spec"/>'s table with the original, range by range.</summary>
    public async Task VerifyAsync(SwapSpec spec)
    {
        long verified = 0;
        var started = swap.Run.Time.GetTimestamp();
        var range = TableComparer.RangeRows(spec.Original);
        // The phase starts now, not when the first range has been compared: a range of wide rows
        // takes a while, and until then the progress would still show the phase before.
        if (SilentWhile is not { IsCompleted: false })
            swap.Report(spec, SwapPhase.Verifying, 0, 0, range);
        var difference = await comparer.FirstDifferenceAsync(
            spec,
            async () =>
            {
                if (!swap.InTransaction)
                    swap.Run.ThrowIfBudgetSpent();
                await swap.ControlPointAsync();
                await swap.EnsureRunLockAsync();
                // A build beside verification failed: its error stops verification too.
                if (SilentWhile is { IsFaulted: true } failedBeside)
                    await failedBeside;
            },
            (last, rangeRows) =>
            {
                verified += rangeRows;
                var rate = verified / Math.Max(0.001, swap.Run.Time.GetElapsedTime(started).TotalSeconds);
                var silent = SilentWhile is { IsCompleted: false };
                if (!silent)
                    swap.Report(spec, SwapPhase.Verifying, verified, rate, range);
                else if (last)
                    verifiedRows.Add((spec, verified));
            });
        if (difference is not null)
            await FailAsync(spec, difference);
        await CheckNewForeignKeysAsync(spec);
    }

    /// <summary>
    /// Where the copy gets the script's new foreign keys only after the cut-over (PostgreSQL), looks
    /// for a row of the copy without a parent row before anything is swapped: one stops the swap as a
    /// value that does not fit (exit 7, the row named, the copy, capture and change log removed), as
    /// the copy's own check does on the other engines. A key that refers to a table of this swap is
    /// left to the validation after the cut-over (its parent rows are the copy's own).
    /// </summary>
    private async Task CheckNewForeignKeysAsync(SwapSpec spec)
    {
        if (swap.Engine.CopyChecksNewForeignKeys)
            return;
        foreach (var foreignKey in spec.NewForeignKeys.Where(f => !swap.TableNames.Contains(f.ReferencedTable, StringComparer.OrdinalIgnoreCase)))
        {
            await swap.ControlPointAsync();
            var rows = await swap.QueryAsync(SwapQueries.FirstOrphan(swap.Engine, spec, foreignKey), [], $"look for a row of {spec.Names.Copy} without a parent row in {foreignKey.ReferencedTable}");
            if (rows.Count == 0)
                continue;
            var key = Enumerable.Range(0, spec.CopyKey.Count).Select(i => rows[0][i]).ToArray();
            var values = Enumerable.Range(spec.CopyKey.Count, foreignKey.Columns.Count).Select(i => rows[0][i]).ToArray();
            var reason = $"foreign key \"{foreignKey.Name}\": key ({string.Join(", ", foreignKey.Columns)})={KeyValues.Show(values)} is not present in table \"{foreignKey.ReferencedTable}\"";
            throw new ValueMisfitException(spec, new Dialects.ValueMisfit(reason, null, ForeignKey: true), key);
        }
    }

    /// <summary>Reports the rows each verification covered while it was silent (the indexes were being built).</summary>
    public void ReportSilentProgress()
    {
        foreach (var (spec, verified) in verifiedRows)
            swap.Report(spec, SwapPhase.Verifying, verified, 0, TableComparer.RangeRows(spec.Original));
        verifiedRows.Clear();
    }

    /// <summary>Remembers the keys a committed applier batch re-synced, for <see cref="ReverifyRecentKeysAsync"/>.</summary>
    public void RememberKeys(SwapSpec spec, IReadOnlyList<object?[]> keys)
    {
        if (!recentKeys.TryGetValue(spec.Original.Name, out var list))
            recentKeys[spec.Original.Name] = list = [];
        foreach (var key in keys)
        {
            if (list.Count >= MaxRecentKeys)
                list.RemoveAt(0);
            list.Add(key);
        }
    }

    /// <summary>Compares the copy with the original for the keys applied since the last check; a difference stops before the swap, like verification.</summary>
    public async Task ReverifyRecentKeysAsync()
    {
        foreach (var spec in swap.Specs)
        {
            if (!recentKeys.Remove(spec.Original.Name, out var keys) || keys.Count == 0)
                continue;
            if (await comparer.FirstDifferenceAsync(spec, keys) is { } difference)
                await FailAsync(spec, difference);
            ControlLog.Reverified(swap.Logger, swap.ScriptId, spec.Original.Name, keys.Count);
        }
    }

    /// <summary>
    /// Under the cut-over's lock: each original's definition is still the one its copy was made from
    /// (<see cref="TableDefinition"/>), else <see cref="DefinitionChangedException"/>, which the cut-over
    /// turns into <see cref="FailDefinitionChangedAsync"/> once its lock is released.
    /// </summary>
    public async Task CheckDefinitionsAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (!swap.Online || swap.InTransaction)
            return;
        foreach (var spec in swap.Specs)
        {
            if (!swap.Data.Definitions.TryGetValue(spec.Original.Name, out var before))
                continue;
            var now = await TableDefinition.FingerprintAsync(swap.Engine, connection, transaction, spec.Original.Name, cancellationToken);
            if (now is not null && now != before)
                throw new DefinitionChangedException(spec.Original.Name);
        }
        // The fingerprint leaves Swap's own capture out: a trigger or change log dropped behind
        // Swap's back since verification lost writes that no check would see after this point.
        foreach (var spec in swap.Specs)
        {
            if (!await swap.Engine.CaptureInstalledAsync(connection, transaction, spec, cancellationToken))
                throw new DefinitionChangedException(spec.Original.Name, OriginalChange.CaptureLost);
        }
        // A TRUNCATE after verification fires no trigger and leaves the definition as it was: only
        // the storage it replaced tells, and the copy would bring the removed rows back.
        foreach (var spec in swap.Specs)
        {
            if (swap.Data.Storage.TryGetValue(spec.Original.Name, out var before)
                && await swap.Engine.StorageIdentityAsync(connection, transaction, spec.Original.Name, cancellationToken) is { } now
                && now != before)
                throw new DefinitionChangedException(spec.Original.Name, OriginalChange.StorageReplaced);
        }
    }

    /// <summary>An original's definition changed during the swap: like a failed verification, capture goes, the copy stays, nothing is swapped.</summary>
    public async Task FailDefinitionChangedAsync(DefinitionChangedException e)
    {
        if (e.Change == OriginalChange.CaptureLost)
        {
            await FailCaptureLostAsync(swap.Specs.First(s => s.Original.Name == e.Table));
            return;
        }
        if (e.Change == OriginalChange.StorageReplaced)
        {
            await FailStorageReplacedAsync(swap.Specs.First(s => s.Original.Name == e.Table));
            return;
        }
        var table = e.Table;
        var what = "its definition changed while it was being swapped (a column, index, constraint, trigger, grant, comment, policy or rule was added, dropped or altered on it)";
        await StopUnswappedAsync(
            $"{table}: {what}",
            "remove capture after the original's definition changed",
            $"{swap.ScriptId}: the copy of '{table}' no longer matches the original: {what}. The copy was made from the earlier definition, and swapping it in would lose that change. " +
            $"Nothing was swapped; the original is intact with the change. Run 'swap cleanup --script {swap.ScriptId}' and then 'swap up' to start the swap over from the table as it is now " +
            "(and put the change in a migration if it is meant to last).");
    }

    /// <summary>
    /// Capture was removed outside Swap (a capture trigger or the change log dropped) while the copy
    /// was being kept current: the writes made since are in no log, so the copy cannot be trusted.
    /// Like a failed verification: what is left of capture goes, the copy stays, nothing is swapped.
    /// </summary>
    private async Task FailCaptureLostAsync(SwapSpec spec)
    {
        var what = $"Swap's capture on it was removed outside Swap while it was being swapped (one of its capture triggers _{spec.Original.Name}_swap_..., or the change log {spec.Names.Log}, was dropped)";
        await StopUnswappedAsync(
            $"{spec.Original.Name}: {what}",
            "remove capture after it was found incomplete",
            $"{swap.ScriptId}: the copy of '{spec.Original.Name}' cannot be trusted: {what}, so the application's writes since then are not in the copy and swapping it in would lose them. " +
            $"Nothing was swapped; the original is intact. Run 'swap cleanup --script {swap.ScriptId}' and then 'swap up' to start the swap over.");
    }

    /// <summary>
    /// The original's storage was replaced after verification (<see cref="TableEngine.StorageIdentityAsync"/>):
    /// most likely a TRUNCATE, which removes rows without firing capture's triggers. Like a failed
    /// verification: capture goes, the copy stays, nothing is swapped.
    /// </summary>
    private async Task FailStorageReplacedAsync(SwapSpec spec)
    {
        var table = spec.Original.Name;
        var what = $"'{table}' was truncated or rebuilt while it was being swapped (its storage was replaced, which is what {swap.Engine.UncapturedRemovals ?? "TRUNCATE TABLE"}, " +
            "and also OPTIMIZE TABLE or ALTER TABLE ... FORCE, do): rows removed that way fire none of Swap's triggers, so the copy may still hold them";
        await StopUnswappedAsync(
            $"{table}: {what}",
            "remove capture after the original's storage was replaced",
            $"{swap.ScriptId}: the copy of '{table}' cannot be trusted: {what}, and swapping it in would bring them back. " +
            $"Nothing was swapped; '{table}' is as the application left it. Run 'swap cleanup --script {swap.ScriptId}' and then 'swap up' to start the swap over from the table as it is now. " +
            "Do not truncate or rebuild a table while Swap swaps it.");
    }

    /// <summary>
    /// Ends an online swap that must not cut over: records <paramref name="failure"/>, stops work
    /// beside verification, removes capture (the copy stays for inspection), journals the stage as
    /// failed verification and throws <paramref name="message"/> as exit 8.
    /// </summary>
    private async Task StopUnswappedAsync(string failure, string removeReason, string message)
    {
        swap.Data.Failure = failure;
        if (StopBesideAsync is { } stopBeside)
            await stopBeside();
        await capture.RemoveAsync(removeReason);
        await swap.SaveAsync(SwapStage.VerifyFailed);
        throw new SwapException(SwapErrorKind.VerificationFailed, message) { ScriptId = swap.ScriptId };
    }

    /// <summary>
    /// The copy holds a row the original no longer has and no logged delete removed it: the rows
    /// went without firing capture's triggers (<see cref="TableEngine.UncapturedRemovals"/>). Like
    /// a failed verification: capture goes, the copy stays, nothing is swapped; said as what happened.
    /// </summary>
    private async Task FailRemovedUncapturedAsync(SwapSpec spec, KeyDifference difference, string uncaptured)
    {
        var table = spec.Original.Name;
        var empty = (await swap.QueryAsync($"SELECT 1 FROM {swap.Engine.Dialect.Quote(table)} LIMIT 1", [], "look whether the original is empty")).Count == 0;
        var what = $"the copy has a row with key {KeyValues.Show(difference.Key)} that '{table}' no longer has, and no delete that capture logged removed it: " +
            $"rows left '{table}' without firing Swap's triggers{(empty ? $" ('{table}' is empty now)" : "")}, which is what {uncaptured} does. " +
            $"The table was most likely truncated while it was being swapped{(empty ? "" : " (the rows it holds now were written after that)")}";
        await StopUnswappedAsync(
            $"{table}: {what}",
            "remove capture after rows were removed without firing its triggers",
            $"{swap.ScriptId}: the copy of '{table}' no longer matches the original: {what}. Swapping the copy in would bring the removed rows back. " +
            $"Nothing was swapped; '{table}' is as the application left it. Until the copy {spec.Names.Copy} is removed, 'swap up' stops here again with this message. " +
            $"Run 'swap cleanup --script {swap.ScriptId}' to remove it; the next 'swap up' then starts the swap over and copies '{table}' as it is now. Do not truncate a table while Swap swaps it.");
    }

    private async Task FailAsync(SwapSpec spec, KeyDifference difference)
    {
        // A difference because capture was dropped behind Swap's back is said as that, not as a rejected write.
        if (!swap.InTransaction && swap.Online && !await swap.Engine.CaptureInstalledAsync(swap.Connection, swap.Transaction, spec, swap.Token))
            await FailCaptureLostAsync(spec);
        // With capture whole, every delete the application made was logged and applied: a row only
        // the copy has left the original without firing the triggers (on MySQL/MariaDB, a TRUNCATE).
        if (difference.Missing is null && !swap.InTransaction && swap.Online && swap.Engine.UncapturedRemovals is { } uncaptured)
            await FailRemovedUncapturedAsync(spec, difference, uncaptured);
        var what = difference.Missing is not null
            ? $"the original row with key {KeyValues.Show(difference.Missing)} is missing from the copy or differs from it"
            : $"the copy has a row with key {KeyValues.Show(difference.Key)} that the original does not have";
        var hint = spec.CaptureMayFail
            ? " A new unique index, a key moved to another collation (under which two keys are one), a NOT NULL column or a FillWith expression may have rejected a write the application made during the copy."
            : "";
        var message = $"{swap.ScriptId}: the copy of '{spec.Original.Name}' does not match the original: {what}.{hint} Nothing was swapped; the original is intact. ";
        if (!swap.InTransaction)
        {
            // Stop adding work to the application's writes; the copy stays for inspection.
            await StopUnswappedAsync(
                $"{spec.Original.Name}: {what}",
                "remove capture after a failed verification",
                message + $"The copy {spec.Names.Copy} is kept for inspection; 'swap cleanup --script {swap.ScriptId}' removes it and lets the swap start over.");
        }
        swap.Data.Failure = $"{spec.Original.Name}: {what}";
        if (StopBesideAsync is { } stopBeside)
            await stopBeside();
        throw new SwapException(SwapErrorKind.VerificationFailed, message + "The rebuild was rolled back.") { ScriptId = swap.ScriptId };
    }
}
