namespace Swap.Engine;

/// <summary>
/// The change logs and the row triggers that fill them (the dialect's <c>InstallCapture</c> /
/// <c>RemoveCapture</c>): installed before the first chunk, checked on resume, removed after the
/// cut-over or a failed verification.
/// </summary>
internal sealed class Capture(SwapContext swap)
{
    /// <summary>The retries of a capture statement that could not take its lock in time (the cut-over's discipline), built once per swap.</summary>
    private readonly Polly.ResiliencePipeline lockRetry = CutOverRetry.Build(
        swap.Options, swap.Engine, swap.Run.Time, (attempt, delay) => EngineLog.CaptureRetry(swap.Logger, swap.Tables, attempt, delay));

    /// <summary>
    /// Installs capture on every original (after removing what an interrupted attempt left), then
    /// empties the copies. Rows capture wrote before it was whole (an interrupted attempt left some
    /// triggers, or a write fell between one trigger and the next) may be stale, and no chunk ever
    /// overwrites a row capture wrote; with capture whole and no chunk run yet, the chunks bring
    /// every row and the log keeps each one current.
    /// </summary>
    public async Task InstallAsync()
    {
        swap.Report(swap.Specs[0], SwapPhase.InstallingCapture, 0, 0);
        // The copy is filled from the original: rows a script wrote into it (UseTableAsync) would be
        // emptied away below without a word, so they stop the swap before anything is installed.
        foreach (var spec in swap.Specs)
        {
            if (await swap.QueryAsync($"SELECT 1 FROM {swap.Engine.Dialect.Quote(spec.Names.Copy)} LIMIT 1", [], $"read the copy of {spec.Original.Name}") is { Count: > 0 })
            {
                throw new SwapException(
                    SwapErrorKind.Refused,
                    $"{swap.ScriptId}: the script wrote rows into the copy {spec.Names.Copy} of '{spec.Original.Name}' before DoneUsingTablesAsync. A copy is filled from the original, " +
                    $"so those rows would be lost; nothing was swapped and the original is untouched. Change only the copy's structure with your SQL, and write rows to '{spec.Original.Name}' after DoneUsingTablesAsync; " +
                    $"then run 'swap cleanup --script {swap.ScriptId}' and 'swap up' again.")
                { ScriptId = swap.ScriptId };
            }
        }
        // Creating a trigger waits for every transaction that has read the table, and the
        // application's statements queue behind it: each statement waits as briefly as a cut-over
        // (CutOverLockTimeout) and is retried with backoff, never the statement lock wait.
        var statementWait = swap.Run.Options.StatementLockTimeout;
        var bounded = !swap.InTransaction && swap.Options.CutOverLockTimeout < statementWait;
        if (bounded)
            await swap.Session.Database.ApplyLockTimeoutAsync(swap.Connection, swap.Options.CutOverLockTimeout, swap.Token);
        try
        {
            foreach (var spec in swap.Specs)
            {
                foreach (var sql in swap.Engine.RemoveCapture(spec))
                    await BoundedAsync(sql, "remove stale capture", spec);
                foreach (var sql in swap.Engine.InstallCapture(spec))
                {
                    await BoundedAsync(sql, $"install capture on {spec.Original.Name}", spec);
                    Running.FaultPoints.Hit("capture");
                }
            }
        }
        finally
        {
            if (bounded)
                await swap.RestoreLockWaitAsync(statementWait);
        }
        // Capture is whole: from here on, only a removal that fires no trigger (TRUNCATE) replaces
        // the storage, and the cut-over compares it. The copy is still empty, so a TRUNCATE before
        // this point costs nothing.
        if (swap.Online && !swap.InTransaction)
        {
            foreach (var spec in swap.Specs)
            {
                if (await swap.Engine.StorageIdentityAsync(swap.Connection, swap.Transaction, spec.Original.Name, swap.Token) is { } identity)
                    swap.Data.Storage[spec.Original.Name] = identity;
                else
                    swap.Data.Storage.Remove(spec.Original.Name);
            }
        }
        foreach (var spec in swap.Specs)
            await EmptyCopyAsync(spec, $"empty the copy of {spec.Original.Name}");
    }

    /// <summary>One statement of capture's installation, retried with backoff while it cannot take its lock in time.</summary>
    private async Task BoundedAsync(string sql, string what, SwapSpec spec)
    {
        if (swap.InTransaction)
        {
            await swap.ExecAsync(sql, what);
            return;
        }
        try
        {
            await lockRetry.ExecuteAsync(async _ => await swap.ExecAsync(sql, what), swap.Token);
        }
        catch (Exception e) when (CutOverRetry.IsRetryable(swap.Engine, e))
        {
            var holders = await CutOverRetry.HoldersAsync(swap.Engine, swap.Connection, [spec.Original.Name]);
            throw new SwapException(
                SwapErrorKind.CutOverTimedOut,
                $"{swap.ScriptId}: capture could not be installed on '{spec.Original.Name}': its triggers could not take the table's lock in {swap.Options.CutOverRetries + 1} attempt(s) of {Durations.Format(swap.Options.CutOverLockTimeout)} each, " +
                $"because a long transaction or query holds the table (creating a trigger waits for it, and would make the application's writes wait too).{holders} Nothing was copied; the original is untouched. " +
                "Run 'swap up' again when the table is quieter.",
                e)
            { ScriptId = swap.ScriptId };
        }
    }


    /// <summary>
    /// On resume: if capture was removed behind Swap's back while the copy was being filled, the
    /// copy may have missed writes. Empties every copy and goes back to
    /// <see cref="SwapStage.CopyCreated"/>, so capture is reinstalled and the copy made again,
    /// rather than stale rows swapped in. Returns true when it did.
    /// </summary>
    public async Task<bool> RecoverIfLostAsync()
    {
        foreach (var spec in swap.Specs)
        {
            if (await swap.Engine.CaptureInstalledAsync(swap.Connection, swap.Transaction, spec, swap.Token))
                continue;
            EngineLog.CaptureLost(swap.Logger, spec.Original.Name);
            foreach (var s in swap.Specs)
            {
                await EmptyCopyAsync(s, "empty the copy");
                var p = swap.Data.Table(s.Original.Name);
                p.Watermark = null;
                p.Copied = 0;
                p.Done = false;
            }
            await swap.SaveAsync(SwapStage.CopyCreated);
            return true;
        }
        return false;
    }

    /// <summary>Removes capture from every original (<paramref name="why"/> names the occasion in errors).</summary>
    public async Task RemoveAsync(string why)
    {
        foreach (var spec in swap.Specs)
            await RemoveAsync(spec, why);
    }

    public Task RemoveAsync(SwapSpec spec, string why) => swap.ExecAllAsync(swap.Engine.RemoveCapture(spec), why);

    private Task EmptyCopyAsync(SwapSpec spec, string what) =>
        swap.ExecAsync($"DELETE FROM {swap.Engine.Dialect.Quote(spec.Names.Copy)}", what);
}
