using System.Data.Common;
using Swap.Data;
using Swap.Running;

namespace Swap.Engine.Revert;

/// <summary>
/// The forward swap's part of a revert window: refuses the window before anything is written
/// when the change cannot be taken back exactly; installs the reverse capture on the copies just
/// before the cut-over (so the first write to the new table is already captured); and once the
/// forward capture is gone, records the window instead of dropping the old tables.
/// </summary>
internal sealed class RevertWindowOpener(ScriptSession session, TableEngine engine)
{
    private readonly RevertWindowStore store = new(session.Database, session.Run.Tables);

    private DbConnection Connection => session.Connection;

    private CancellationToken Token => session.CancellationToken;

    /// <summary>
    /// A table with an open window cannot be swapped again: its old table and reverse capture hold
    /// the names. And a window needs the online engine (<paramref name="windowWanted"/>).
    /// </summary>
    public async Task RefuseTablesInWindowsAsync(IEnumerable<string> tables, bool windowWanted)
    {
        if (windowWanted && ReverseMapping.Unsupported(engine) is { } why)
            throw new SwapException(SwapErrorKind.Refused, $"{session.Script.Id}: {why}. Run without --revert-window (and without the script's revert window); nothing was changed.") { ScriptId = session.Script.Id };
        // An engine without revert windows (SQLite) has none open; and its swap may be running in
        // one transaction on this connection, which a read outside it must not touch.
        if (!engine.Online || ReverseMapping.Unsupported(engine) is not null)
            return;
        var windows = await store.ReadAllAsync(Connection, Token);
        foreach (var table in tables)
        {
            if (windows.FirstOrDefault(w => w.TableNames.Contains(table, StringComparer.OrdinalIgnoreCase)) is { } open)
            {
                throw new SwapException(
                    SwapErrorKind.Refused,
                    $"{session.Script.Id}: '{table}' has an open revert window from {open.ScriptId} (until {open.ExpiresUtc:u}); it cannot be swapped again while its old table is kept. " +
                    $"Run 'swap finish {open.ScriptId}' to keep the change (or 'swap revert {open.ScriptId}' to take it back), then run again. Nothing was changed.")
                { ScriptId = session.Script.Id };
            }
        }
    }

    /// <summary>Refuses the window with every reason, before the originals are touched (the copies just made are dropped).</summary>
    public async Task RefuseUnlessRevertibleAsync(IReadOnlyList<TableUse> uses, IReadOnlyList<SwapSpec> specs)
    {
        var reasons = uses.Zip(specs).SelectMany(p => ReverseMapping.Refusals(engine, p.First, p.Second, session.Script.Kind).Select(r => $"'{p.First.Original.Name}': {r}")).ToList();
        if (reasons.Count == 0)
            return;
        foreach (var use in uses.Where(u => !u.CopyExists))
            await ExecAsync($"DROP TABLE IF EXISTS {engine.Dialect.Quote(use.Names.Copy)}", "drop the copy of a refused swap");
        throw new SwapException(
            SwapErrorKind.Refused,
            $"{session.Script.Id}: a revert window cannot be kept for this swap: {string.Join("; ", reasons)}. " +
            "Run without --revert-window (and without the script's revert window) to make the change without a way back, or change the script. Nothing was changed.")
        { ScriptId = session.Script.Id };
    }

    /// <summary>
    /// Installs the reverse capture on each copy, before the cut-over: renamed with the copy, it
    /// captures the first write the new table takes. What it logs before (the applier's re-syncs of
    /// the copy) only re-syncs the old table with values it already has. Safe to run again.
    /// </summary>
    public async Task InstallReverseCaptureAsync(IReadOnlyList<TableUse> uses, IReadOnlyList<SwapSpec> specs)
    {
        foreach (var (use, spec) in uses.Zip(specs))
        {
            var reverse = ReverseMapping.Build(engine, ReverseMapping.Describe(use, spec), spec.Copy, use.Original with { Name = use.Names.Old });
            foreach (var sql in engine.RemoveCapture(reverse))
                await ExecAsync(sql, $"remove a stale reverse capture of {use.Original.Name}");
            foreach (var sql in engine.InstallCapture(reverse))
                await ExecAsync(sql, $"install the reverse capture of {use.Original.Name}");
        }
        FaultPoints.Hit("reverse-capture");
    }

    /// <summary>Records the window (opened now, or when an interrupted run first recorded it) and detaches the old tables.</summary>
    public async Task OpenAsync(IReadOnlyList<TableUse> uses, IReadOnlyList<SwapSpec> specs, TimeSpan length, SwapJournalData data)
    {
        foreach (var spec in specs)
        {
            foreach (var sql in engine.DetachOld(spec))
                await ExecAsync(sql, $"detach {spec.Names.Old}");
        }
        var tables = uses.Zip(specs)
            .Select(p => ReverseMapping.Describe(p.First, p.Second) with { ResyncedUpTo = data.Tables.GetValueOrDefault(p.Second.Original.Name)?.ResyncedUpTo })
            .ToList();
        var names = tables.Select(t => t.Table).Order(StringComparer.OrdinalIgnoreCase).ToList();
        var existing = await store.ReadAsync(Connection, null, session.Script.Id, Token);
        var same = existing.FirstOrDefault(w => w.TableNames.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(names, StringComparer.OrdinalIgnoreCase));
        var now = session.Run.Time.GetUtcNow().UtcDateTime;
        var opened = same?.OpenedUtc ?? now;
        var window = new RevertWindow
        {
            ScriptId = session.Script.Id,
            Seq = same?.Seq ?? (existing.Count == 0 ? 1 : existing.Max(w => w.Seq) + 1),
            Stage = RevertStage.Open,
            OpenedUtc = opened,
            // A window longer than the calendar lasts (80000000h) never ends rather than failing the
            // script after its cut-over.
            ExpiresUtc = length < DateTime.MaxValue - opened ? opened + length : DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc),
            Tables = tables,
        };
        await store.WriteAsync(Connection, null, window, now, Token);
        RevertLog.WindowOpened(session.Logger, session.Script.Id, string.Join(", ", names), Durations.Format(length));
    }

    private async Task ExecAsync(string sql, string what)
    {
        try
        {
            await Connection.ExecuteAsync(sql, null, null, Token);
        }
        catch (Exception e) when (session.Database.IsDatabaseError(e))
        {
            throw session.Database.Translate(e, $"{session.Script.Id}: {what}");
        }
    }
}
