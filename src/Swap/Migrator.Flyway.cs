using System.Data.Common;
using Swap.Discovery;
using Swap.History;

namespace Swap;

// A database Flyway migrated: its flyway_schema_history says which versions it has. Swap never runs
// them again by surprise: up and plan refuse until 'swap baseline --from-flyway' has recorded them.
public sealed partial class Migrator
{
    /// <summary>
    /// Adopts a database Flyway migrated: records as applied, without running them, the scripts
    /// whose versions <c>flyway_schema_history</c> lists as successfully applied (and every version
    /// up to a Flyway baseline), as one new batch. Refused before anything is written when the
    /// table is missing (usage), when a Flyway row failed (the database is half-migrated), when
    /// Flyway applied a version no script has, or when a script it would record failed or was
    /// interrupted under Swap (<see cref="SwapErrorKind.Refused"/>). With <paramref name="dryRun"/>, only lists them.
    /// <paramref name="flywayTable"/> is the table Flyway keeps its history in when its
    /// <c>flyway.table</c> setting changed it (Flyway before version 5 named it <c>schema_version</c>).
    /// </summary>
    public async Task<BaselineResult> BaselineFromFlywayAsync(bool dryRun = false, string? flywayTable = null, CancellationToken cancellationToken = default)
    {
        var table = flywayTable ?? FlywayHistory.TableName;
        if (table.Trim().Length == 0 || table != table.Trim())
            throw new SwapException(SwapErrorKind.Usage, $"--flyway-table '{table}' is empty or has spaces around it; give the name of the table Flyway keeps its history in.");
        return await RecordBaselineAsync((connection, ct) => CheckFlywayBaselineAsync(connection, table, ct), dryRun, cancellationToken);
    }

    /// <summary>The scripts Flyway applied that Swap's history does not have yet, or the refusal.</summary>
    private async Task<(Dictionary<string, HistoryEntry> Recorded, List<MigrationScript> ToRecord, int Batch)> CheckFlywayBaselineAsync(DbConnection connection, string table, CancellationToken cancellationToken)
    {
        var flyway = await FlywayHistory.ReadAsync(database, connection, table, cancellationToken)
            ?? throw new SwapException(
                SwapErrorKind.Usage,
                $"{database.DisplayName} has no {table} table in its schema, so there is nothing Flyway applied to adopt; nothing was recorded. " +
                "Point --db at the database (and schema) Flyway migrated" +
                (table == FlywayHistory.TableName ? ", give --flyway-table if Flyway's flyway.table setting named its history otherwise (before Flyway 5: schema_version)" : "") +
                ", or use 'swap baseline --to <id>' to name the last script this database has.");
        RefuseFailedFlyway(flyway, table, "nothing was recorded");
        var recorded = (await history.ReadAsync(connection, cancellationToken)).ToDictionary(h => h.ScriptId, StringComparer.Ordinal);
        var adopted = FlywayScripts(flyway);
        var unfinished = adopted.Where(s => recorded.TryGetValue(s.Id, out var h) && h.Status != HistoryStatus.Applied).ToList();
        if (unfinished.Count > 0)
        {
            throw new SwapException(
                SwapErrorKind.Refused,
                $"Cannot baseline from Flyway: {string.Join(", ", unfinished.Select(s => $"{s.Id} ({recorded[s.Id].Status.ToString().ToLowerInvariant()})"))} started under Swap and did not finish; nothing was recorded. " +
                $"Finish it with 'swap up --to {unfinished[0].Id}', or abandon it with 'swap cleanup --script {unfinished[0].Id}' and 'swap sync', then baseline again.")
            { ScriptId = unfinished[0].Id };
        }
        return (recorded, adopted.Where(s => !recorded.ContainsKey(s.Id)).ToList(), recorded.Count == 0 ? 1 : recorded.Values.Max(h => h.Batch) + 1);
    }

    /// <summary>
    /// Refuses <c>up</c> and <c>plan</c> on a database Flyway migrated that Swap has not adopted yet
    /// (no Swap history, Flyway rows that applied something): they would run Flyway's scripts again.
    /// Flyway's table is looked for under its default name and under the name Flyway used before
    /// version 5 (<c>schema_version</c>, only when it has Flyway's columns).
    /// </summary>
    private async Task RefuseUnadoptedFlywayAsync(DbConnection connection, int recordedCount, CancellationToken cancellationToken)
    {
        if (recordedCount > 0)
            return;
        foreach (var table in (string[])[FlywayHistory.TableName, FlywayHistory.LegacyTableName])
        {
            FlywayHistory? flyway;
            try
            {
                flyway = await FlywayHistory.ReadAsync(database, connection, table, cancellationToken);
            }
            catch (SwapException) when (table == FlywayHistory.LegacyTableName)
            {
                continue; // another tool's schema_version
            }
            if (flyway is not { HasAnything: true })
                continue;
            RefuseFailedFlyway(flyway, table, "nothing was run");
            throw new SwapException(
                SwapErrorKind.Refused,
                $"{database.DisplayName} was migrated by Flyway ({table} lists {flyway.Applied.Count} applied version(s), the last {flyway.Last}) and Swap's history is empty, so 'swap up' would run those scripts again; nothing was run. " +
                $"Run 'swap baseline --from-flyway{(table == FlywayHistory.TableName ? "" : " --flyway-table " + table)}' (try --dry-run first) to record them as applied without running them, then 'swap up' applies only the versions after them.");
        }
    }

    private void RefuseFailedFlyway(FlywayHistory flyway, string table, string outcome)
    {
        if (flyway.Failed.Count == 0)
            return;
        throw new SwapException(
            SwapErrorKind.Refused,
            $"{database.DisplayName} is half-migrated: {table} has failed row(s) for {string.Join(", ", flyway.Failed)}; {outcome}. " +
            "Finish or undo that migration by hand so the schema matches the version before it, then 'flyway repair' (or delete the failed row), and run this again.");
    }

    /// <summary>The scripts, in run order, whose versions Flyway applied; refuses a version no script (or more than one) has.</summary>
    private List<MigrationScript> FlywayScripts(FlywayHistory flyway)
    {
        var versioned = Catalog.Scripts.Where(s => s.Version is not null).ToList();
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (version, script) in flyway.Applied)
        {
            var matches = versioned.Where(s => s.Version!.Equals(version)).ToList();
            if (matches.Count != 1)
            {
                throw new SwapException(
                    SwapErrorKind.Refused,
                    matches.Count == 0
                        ? $"Flyway applied version {version} ({script}), but no migration has that version (a V{version}__<description> script); nothing was recorded. Point --migrations at every folder Flyway ran (its locations), or put the script back, then baseline again."
                        : $"Flyway applied version {version} ({script}), and several migrations have it: {string.Join(", ", matches.Select(m => $"{m.Id} ({m.Module})"))}; nothing was recorded. Flyway's locations share one version sequence: keep one of them.");
            }
            chosen.Add(matches[0].Id);
        }
        if (flyway.Baseline is { } baseline)
        {
            foreach (var s in versioned.Where(s => s.Version!.CompareTo(baseline) <= 0))
                chosen.Add(s.Id);
        }
        return Catalog.Scripts.Where(s => chosen.Contains(s.Id)).ToList();
    }
}
