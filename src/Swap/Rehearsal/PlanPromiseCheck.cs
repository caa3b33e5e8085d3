using Swap.Engine.Schema;
using Swap.Generating;

namespace Swap.Rehearsal;

/// <summary>
/// After a rehearsal, compares each table staging now has with what <c>plan</c> promised for it just
/// before the script that changed it ran: columns in order with their types and nullability, the
/// primary key, and the indexes with their columns and uniqueness. Only reads staging.
/// </summary>
internal static class PlanPromiseCheck
{
    public static async Task<IReadOnlyList<SchemaCheck>> CompareAsync(
        SwapDatabase staging,
        IReadOnlyList<(string ScriptId, IReadOnlyList<TableSchema> Promised, string? Error)> plans,
        IReadOnlyList<ScriptRehearsal> scripts,
        CancellationToken cancellationToken)
    {
        var applied = scripts.Where(s => s.Outcome == "applied").Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var order = scripts.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var checks = new List<SchemaCheck>();
        // The last promise for a table is the one staging should show (a later swap of it promises again).
        var last = new Dictionary<string, (string ScriptId, TableSchema Table)>(StringComparer.OrdinalIgnoreCase);
        foreach (var (scriptId, promised, error) in plans.Where(p => applied.Contains(p.ScriptId)))
        {
            if (error is not null)
                checks.Add(new SchemaCheck("-", scriptId, SchemaCheck.NotCompared, [$"plan could not run it in advance: {error}"]));
            foreach (var table in promised)
                last[table.Name] = (scriptId, table);
        }
        await using var connection = await staging.OpenConnectionAsync(cancellationToken);
        foreach (var (name, (scriptId, promised)) in last)
        {
            var later = LaterStatement(scripts, order.GetValueOrDefault(scriptId), name);
            if (later is not null)
            {
                checks.Add(new SchemaCheck(name, scriptId, SchemaCheck.NotCompared, [$"{later} changed it with its own SQL after the plan's promise"]));
                continue;
            }
            var actual = await staging.TableEngine.LoadTableAsync(connection, null, name, cancellationToken);
            var differences = actual is null ? new List<string> { "the table is missing on staging" } : Differences(promised, actual, staging.Dialect);
            checks.Add(new SchemaCheck(name, scriptId, differences.Count == 0 ? SchemaCheck.Matches : SchemaCheck.Differs, differences));
        }
        return checks;
    }

    /// <summary>
    /// The script whose statement names the table after the step that made the promised change (later
    /// in the same script, or in a later one), or null: plan promised no shape for what SQL does.
    /// </summary>
    private static string? LaterStatement(IReadOnlyList<ScriptRehearsal> scripts, int promisedBy, string table)
    {
        bool Names(StepRehearsal step) => TableProbe.Named(step.Description, [table]).Count > 0;
        var own = scripts[promisedBy].Steps;
        var change = own.ToList().FindLastIndex(st => st.Op == "swap" ? st.Tables.Contains(table, StringComparer.OrdinalIgnoreCase) : st.Op == "instant" && Names(st));
        if (own.Skip(change + 1).Any(st => st.Op == "execute" && Names(st)))
            return scripts[promisedBy].Id;
        return scripts.Skip(promisedBy + 1)
            .Where(s => s.Outcome == "applied" && s.Steps.Any(st => st.Op == "execute" && Names(st)))
            .Select(s => s.Id)
            .FirstOrDefault();
    }

    internal static List<string> Differences(TableSchema promised, TableSchema actual, Dialects.SqlDialect dialect)
    {
        var d = new List<string>();
        var promisedNames = promised.Columns.Select(c => c.Name).ToList();
        var actualNames = actual.Columns.Select(c => c.Name).ToList();
        foreach (var missing in promisedNames.Except(actualNames, StringComparer.OrdinalIgnoreCase))
            d.Add($"column {missing}: promised, missing on staging");
        foreach (var extra in actualNames.Except(promisedNames, StringComparer.OrdinalIgnoreCase))
            d.Add($"column {extra}: on staging, not promised");
        var common = promisedNames.Intersect(actualNames, StringComparer.OrdinalIgnoreCase).ToList();
        if (!common.SequenceEqual(actualNames.Intersect(promisedNames, StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase))
            d.Add($"column order: promised {string.Join(", ", common)}, staging has {string.Join(", ", actualNames)}");
        foreach (var name in common)
        {
            var p = promised.Column(name)!;
            var a = actual.Column(name)!;
            if (SchemaDiff.Normalize(p.NativeType, dialect) != SchemaDiff.Normalize(a.NativeType, dialect))
                d.Add($"column {name}: promised type {p.NativeType}, staging has {a.NativeType}");
            if (p.Nullable != a.Nullable)
                d.Add($"column {name}: promised {Null(p.Nullable)}, staging has {Null(a.Nullable)}");
        }
        if (!promised.PrimaryKey.SequenceEqual(actual.PrimaryKey, StringComparer.OrdinalIgnoreCase))
            d.Add($"primary key: promised ({string.Join(", ", promised.PrimaryKey)}), staging has ({string.Join(", ", actual.PrimaryKey)})");
        foreach (var index in promised.Indexes)
        {
            var found = actual.Indexes.FirstOrDefault(i => string.Equals(i.Name, index.Name, StringComparison.OrdinalIgnoreCase));
            if (found is null)
                d.Add($"index {index.Name} ({Columns(index)}): promised, missing on staging");
            else if (Columns(found) != Columns(index) || found.Unique != index.Unique)
                d.Add($"index {index.Name}: promised {(index.Unique ? "unique " : "")}({Columns(index)}), staging has {(found.Unique ? "unique " : "")}({Columns(found)})");
        }
        foreach (var extra in actual.Indexes.Where(i => !promised.Indexes.Any(p => string.Equals(p.Name, i.Name, StringComparison.OrdinalIgnoreCase))))
            d.Add($"index {extra.Name} ({Columns(extra)}): on staging, not promised");
        return d;
    }

    private static string Null(bool nullable) => nullable ? "NULL" : "NOT NULL";

    private static string Columns(IndexSchema index) =>
        string.Join(", ", index.Columns.Select(c => (c.Expression ?? c.Name).ToLowerInvariant() + (c.PrefixLength is { } n ? $"({n})" : "")));
}
