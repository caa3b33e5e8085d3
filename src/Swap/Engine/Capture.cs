namespace Swap.Engine;

/// <summary>
/// The change logs and the row triggers that fill them (the dialect's <c>InstallCapture</c> /
/// <c>RemoveCapture</c>): installed before the first chunk, checked on resume, removed after the
/// cut-over or a failed verification.
/// </summary>
internal sealed class Capture(SwapContext swap)
{
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
        foreach (var spec in swap.Specs)
        {
            await swap.ExecAllAsync(swap.Engine.RemoveCapture(spec), "remove stale capture");
            foreach (var sql in swap.Engine.InstallCapture(spec))
            {
                await swap.ExecAsync(sql, $"install capture on {spec.Original.Name}");
                Running.FaultPoints.Hit("capture");
            }
        }
        foreach (var spec in swap.Specs)
            await EmptyCopyAsync(spec, $"empty the copy of {spec.Original.Name}");
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
            if (await swap.Engine.CaptureInstalledAsync(swap.Connection, spec, swap.Token))
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
