using System.Globalization;
using Swap.Engine.Schema;

namespace Swap.Engine.Revert;

/// <summary>
/// The way back of a swap: which old column each new column returns to, whether every value the
/// application may write to the new table while a revert window is open can go back into the old
/// table unchanged (preflight refuses the window with the reasons when not), and the reverse
/// <see cref="SwapSpec"/> that the capture, the applier and the cut-over run with.
/// </summary>
internal static class ReverseMapping
{
    /// <summary>The old column each kept column of the copy came from, and the script's values for dropped columns.</summary>
    public static RevertTable Describe(TableUse use, SwapSpec forward)
    {
        var pairs = new List<(string Old, string New)>();
        foreach (var c in forward.Copy.Columns)
        {
            if (Origin(use, c.Name) is { } origin)
                pairs.Add((origin, c.Name));
        }
        var values = use.Model?.RevertValues.Where(v => !pairs.Any(p => string.Equals(p.Old, v.Key, StringComparison.OrdinalIgnoreCase)))
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.OrdinalIgnoreCase) ?? [];
        return new RevertTable(use.Original.Name, SchemaJson.Write(use.Original), pairs, values)
        {
            SwappedIn = forward.Copy.Columns.Select(c => c.Name).ToList(),
            SwappedInIndexes = forward.TargetIndexes.Select(i => i.Name).ToList(),
        };
    }

    /// <summary>The original column a copy column is filled from unchanged (renamed or retyped at most); null for new or filled columns.</summary>
    private static string? Origin(TableUse use, string copyColumn)
    {
        if (use.Model is not { } model)
            return use.Original.Column(copyColumn)?.Name;
        var m = model.Columns.FirstOrDefault(c => string.Equals(c.Name, copyColumn, StringComparison.OrdinalIgnoreCase));
        return m is { OriginalName: { } o, Fill: null } ? o : null;
    }

    /// <summary>Why this engine cannot keep a revert window at all, or null.</summary>
    public static string? Unsupported(TableEngine engine) =>
        engine.Dialect.Engine == DatabaseEngine.Sqlite
            ? "revert windows are not available on SQLite yet: Swap keeps an old table in step with the new one after the cut-over (reverse capture) only on MySQL/MariaDB and PostgreSQL; keep a copy of the database file from before the swap if you may want it back"
            : !engine.Online
                ? "a revert window needs the online engine (triggers that capture the writes after the cut-over), and this swap runs as one rebuild transaction"
                : null;

    /// <summary>Why the old table could not be kept in sync with the new one; empty when it can. <paramref name="kind"/> says how the script gives a revert value.</summary>
    public static IReadOnlyList<string> Refusals(TableEngine engine, TableUse use, SwapSpec forward, ScriptKind kind)
    {
        if (Unsupported(engine) is { } why)
            return [why];
        var reasons = engine.RevertRefusals(forward).ToList();
        var original = use.Original;
        var table = Describe(use, forward);
        var mySql = engine.Dialect.Engine == DatabaseEngine.MySql;
        foreach (var c in use.Model?.Columns.Where(x => x.OriginalName is not null && x.Fill is not null) ?? [])
            reasons.Add($"column '{c.OriginalName}' is rewritten by FillWith, so its old value cannot be computed back from the new table");
        foreach (var (oldName, newName) in table.Columns)
        {
            var o = original.Column(oldName)!;
            var n = forward.Copy.Column(newName)!;
            if (o.Generated is not null)
                continue;
            if (!ExactConversion.Holds(n.NativeType, o.NativeType, mySql))
                reasons.Add($"column '{newName}' changes type from {o.NativeType} to {n.NativeType}, and a {n.NativeType} the application writes while the window is open may not fit {o.NativeType} (the conversion back narrows and would lose data)");
            if (n.Nullable && !o.Nullable)
                reasons.Add($"column '{newName}' becomes nullable, and a NULL written while the window is open cannot go back into the old NOT NULL column '{oldName}'");
            if (mySql)
                reasons.AddRange(CollationRefusals(original, oldName, newName, o.Collation, n.Collation));
        }
        foreach (var o in original.Columns.Where(c => c.Generated is null && !table.Columns.Any(p => string.Equals(p.Old, c.Name, StringComparison.OrdinalIgnoreCase))))
        {
            if (!o.Nullable && o.Default is null && !o.AutoIncrement && !table.Values.ContainsKey(o.Name))
                reasons.Add($"column '{o.Name}' is dropped and is NOT NULL without a default, so rows inserted while the window is open would have no value for it in the old table; {HowToGiveRevertValue(o.Name, kind)}");
        }
        var dropped = original.Columns.Where(c => c.Generated is null && !table.Columns.Any(p => string.Equals(p.Old, c.Name, StringComparison.OrdinalIgnoreCase))).Select(c => c.Name).ToList();
        var key = original.ChunkKey()!;
        // Keeping a dropped column's values means updating the old rows in place; a second unique key
        // could make one row's update collide with another row's old value (two rows trading values).
        if (dropped.Count > 0 && original.Indexes.FirstOrDefault(i => i.Unique && !i.Columns.Select(c => c.Name).SequenceEqual(key, StringComparer.OrdinalIgnoreCase)) is { } unique)
            reasons.Add($"the swap drops {string.Join(", ", dropped.Select(k => "'" + k + "'"))}, whose values the old table keeps by updating its rows in place, and the table also has the unique index '{unique.Name}', which two rows trading values would make such an update break; keep the column for now, or drop the index in an earlier migration");
        if (!UniqueIn(forward, key.Select(k => NewName(table, k)).ToList()))
            reasons.Add($"the key ({string.Join(", ", key)}) is not unique in the new table, so its rows cannot be matched back to the old ones");
        // The old table still checks what the new one no longer does.
        foreach (var check in original.Checks.Where(o => use.Model is { } m && !m.Checks.Any(c => c.Original == o) && !dropped.Any(d => Swap.Dialects.Identifiers.IsNamedIn(o.Expression, d))))
            reasons.Add($"the swap drops the check '{check.Name}', which the old table still has, so a row written while the window is open may fail it there; drop the check in a migration of its own (it is a catalog change, nothing to revert)");
        var uniques = original.Indexes.Where(i => i.Unique && i.Predicate is null && i.Columns.All(c => c.Expression is null)).Select(i => (i.Name, Columns: i.Columns.Select(c => c.Name).ToList())).ToList();
        if (original.PrimaryKey.Count > 0)
            uniques.Add(("primary key", original.PrimaryKey.ToList()));
        foreach (var (name, columns) in uniques)
        {
            var mapped = columns.Select(c => NewName(table, c)).ToList();
            if (mapped.Any(m => m is null) || !UniqueIn(forward, mapped))
                reasons.Add($"the new table drops the uniqueness of {(name == "primary key" ? "the primary key" : "index '" + name + "'")} ({string.Join(", ", columns)}), so writes made while the window is open could break it in the old table");
        }
        return reasons;
    }

    /// <summary>The way the script's own language gives a dropped column's value: a method call in C#, a directive in SQL.</summary>
    private static string HowToGiveRevertValue(string column, ScriptKind kind) =>
        kind == ScriptKind.Sql
            ? $"give one with a line '-- swap:revert-value {column} = <sql>' in the script (an SQL expression over the new table's row, for example: -- swap:revert-value {column} = '')"
            : $"give one with SetRevertValue(\"{column}\", \"<sql>\")";

    /// <summary>
    /// MySQL/MariaDB keep a character set and collation per column: a character the new set has and
    /// the old one lacks cannot go back (the applier stops on error 1366), and values a finer new
    /// collation tells apart may be equal under the old one's unique index (two rows 'a' and 'A').
    /// </summary>
    private static IEnumerable<string> CollationRefusals(TableSchema original, string oldName, string newName, string? oldCollation, string? newCollation)
    {
        if (oldCollation is null || newCollation is null || string.Equals(oldCollation, newCollation, StringComparison.OrdinalIgnoreCase))
            yield break;
        var (oldSet, newSet) = (CharacterSet(oldCollation), CharacterSet(newCollation));
        if (oldSet != newSet && !CharacterSubsets.Contains((newSet, oldSet)))
            yield return $"column '{newName}' changes character set from {oldSet} to {newSet}, and a character the application writes in {newSet} while the window is open may have no {oldSet} form in the old column '{oldName}'";
        // A binary collation tells every two values apart: under it the old unique index took nothing the new one could.
        if (oldCollation.EndsWith("_bin", StringComparison.OrdinalIgnoreCase))
            yield break;
        var unique = original.Indexes.Where(i => i.Unique && i.Columns.Any(c => string.Equals(c.Name, oldName, StringComparison.OrdinalIgnoreCase))).Select(i => "'" + i.Name + "'").ToList();
        if (original.PrimaryKey.Contains(oldName, StringComparer.OrdinalIgnoreCase))
            unique.Insert(0, "the primary key");
        if (unique.Count > 0)
            yield return $"column '{newName}' changes collation from {oldCollation} to {newCollation}, which may tell apart values (such as 'a' and 'A') that {oldCollation} takes as equal, so writes made while the window is open could break {string.Join(", ", unique)} in the old table";
    }

    /// <summary>MySQL's collation names start with their character set: utf8mb4_unicode_ci.</summary>
    private static string CharacterSet(string collation)
    {
        var set = collation.Split('_')[0].ToLowerInvariant();
        return set == "utf8" ? "utf8mb3" : set;
    }

    /// <summary>(smaller, larger): every character of the first set is one of the second.</summary>
    private static readonly HashSet<(string, string)> CharacterSubsets =
    [
        ("ascii", "latin1"), ("ascii", "utf8mb3"), ("ascii", "utf8mb4"), ("latin1", "utf8mb3"), ("latin1", "utf8mb4"), ("utf8mb3", "utf8mb4"),
    ];

    private static string? NewName(RevertTable table, string oldColumn) =>
        table.Columns.FirstOrDefault(p => string.Equals(p.Old, oldColumn, StringComparison.OrdinalIgnoreCase)).New;

    /// <summary>True when the swapped-in table has a unique key over some of <paramref name="columns"/> (names in the copy).</summary>
    private static bool UniqueIn(SwapSpec forward, IReadOnlyList<string?> columns)
    {
        if (columns.Any(c => c is null))
            return false;
        bool Within(IEnumerable<string> key) => key.Any() && key.All(k => columns.Contains(k, StringComparer.OrdinalIgnoreCase));
        return Within(forward.TargetPrimaryKey)
            || forward.TargetIndexes.Any(i => i.Unique && i.Predicate is null && i.Columns.All(c => c.Expression is null) && Within(i.Columns.Select(c => c.Name)));
    }

    /// <summary>Refuses the revert when the table has <paramref name="kind"/> beyond those the swap left (<paramref name="swappedIn"/>; null in windows opened by older builds).</summary>
    private static void RefuseLaterAdditions(string tableName, IReadOnlyList<string>? swappedIn, IEnumerable<string> now, string kind, string oldTable)
    {
        var added = swappedIn is null ? [] : now.Where(n => !swappedIn.Contains(n, StringComparer.OrdinalIgnoreCase)).Select(n => "'" + n + "'").ToList();
        if (added.Count == 0)
            return;
        throw new SwapException(
            SwapErrorKind.Refused,
            $"The revert of '{tableName}' would lose its {string.Format(CultureInfo.InvariantCulture, kind, string.Join(", ", added))}: a later change added them after the swap, and the old table {oldTable}. " +
            "Nothing was changed; take that later change back first ('swap down'), or 'swap finish' closes the window and keeps the change.");
    }

    /// <summary>
    /// Refuses the revert when a later change renamed a column the swap left (its place in the table
    /// now holds another name), and when a column the revert needs is gone: the reverse mapping reads
    /// the columns by the names the swap gave them. Renaming them back makes the revert possible again.
    /// </summary>
    private static void RefuseLaterRenames(TableEngine engine, RevertTable table, TableSchema now)
    {
        if (table.SwappedIn is not { } swappedIn)
            return;
        bool Now(string c) => now.Column(c) is not null;
        var added = now.Columns.Where(c => !swappedIn.Contains(c.Name, StringComparer.OrdinalIgnoreCase)).Select(c => c.Name).ToList();
        // A rename keeps the column's place: same number of columns, the new name where the old one was.
        var renamed = new List<(string Was, string Is)>();
        if (swappedIn.Count == now.Columns.Count)
        {
            for (var i = 0; i < swappedIn.Count; i++)
            {
                if (!Now(swappedIn[i]) && added.Contains(now.Columns[i].Name, StringComparer.Ordinal))
                    renamed.Add((swappedIn[i], now.Columns[i].Name));
            }
        }
        var needed = table.Columns.Select(p => p.New).ToList();
        var gone = needed.Where(c => !Now(c) && !renamed.Any(r => string.Equals(r.Was, c, StringComparison.OrdinalIgnoreCase))).ToList();
        if (renamed.Count == 0 && gone.Count == 0)
            return;
        var what = new List<string>();
        foreach (var (was, isNow) in renamed)
            what.Add($"'{was}', which a later change renamed to '{isNow}'");
        foreach (var c in gone)
            what.Add($"'{c}', which a later change {(added.Count == 0 ? "dropped" : "dropped or renamed")}");
        var d = engine.Dialect;
        var back = renamed.Count > 0
            ? $"take that later change back first ('swap down'), or rename {(renamed.Count == 1 ? "it" : "them")} back by hand ({string.Join("; ", renamed.Select(r => $"ALTER TABLE {d.Quote(table.Table)} RENAME COLUMN {d.Quote(r.Is)} TO {d.Quote(r.Was)}"))}; the history still records that change as applied), then run 'swap revert' again"
            : "take that later change back first ('swap down')";
        throw new SwapException(
            SwapErrorKind.Refused,
            $"The revert of '{table.Table}' takes the values back from the columns by the names the swap left them, and cannot find {string.Join(", nor ", what)}. " +
            $"Nothing was changed; {back}, or 'swap finish' closes the window and keeps the change.");
    }

    private static void RefuseLaterRetypes(TableEngine engine, RevertTable table, TableSchema now, TableSchema old)
    {
        var mySql = engine.Dialect.Engine == DatabaseEngine.MySql;
        var changed = new List<string>();
        foreach (var (oldName, newName) in table.Columns)
        {
            if (old.Column(oldName) is not { Generated: null } o || now.Column(newName) is not { } n)
                continue;
            if (!ExactConversion.Holds(n.NativeType, o.NativeType, mySql))
                changed.Add($"'{n.Name}' is {n.NativeType} now, and the old table's {o.NativeType} may not hold what the application writes to it");
            else if (n.Nullable && !o.Nullable)
                changed.Add($"'{n.Name}' is nullable now, and the old table's '{o.Name}' is NOT NULL");
        }
        if (changed.Count == 0)
            return;
        throw new SwapException(
            SwapErrorKind.Refused,
            $"The revert of '{table.Table}' cannot take back what a later change made of its column(s): {string.Join("; ", changed)}. " +
            "Nothing was changed; take that later change back first ('swap down'), or 'swap finish' closes the window and keeps the change.");
    }

    /// <summary>
    /// The reverse spec: from <paramref name="now"/> (the swapped-in table, or its copy before the
    /// cut-over) back into <paramref name="old"/> (the former original), through the kept columns.
    /// </summary>
    public static SwapSpec Build(TableEngine engine, RevertTable table, TableSchema now, TableSchema old)
    {
        var d = engine.Dialect;
        var original = SchemaJson.Read(table.Original);
        var oldKey = original.ChunkKey() ?? throw SwapSpecBuilder.NoKey(original, d.Engine);
        string NewColumn(string oldColumn) =>
            NewName(table, oldColumn) is { } n && now.Column(n) is { } c
                ? c.Name
                : throw new SwapException(
                    SwapErrorKind.Refused,
                    $"The revert of '{table.Table}' needs its column '{NewName(table, oldColumn) ?? oldColumn}', which the table no longer has (a later change dropped it). Nothing was changed; 'swap finish' closes the window, and a new migration can change the table back.");

        // A later rename shows as a column gone and one added: say it was renamed, before either.
        RefuseLaterRenames(engine, table, now);
        // A column a later change added after the swap has no place in the old table: reverting would
        // drop it with its values. Likewise an index: the old table lacks it, and that change's down
        // (DROP INDEX) would fail on the table the revert brings back.
        RefuseLaterAdditions(table.Table, table.SwappedIn, now.Columns.Select(c => c.Name), "column(s) {0} and their values", "has no place for them");
        // (Only on the swapped-in table: before the cut-over, `now` is the copy, whose indexes may
        // still carry their build names, on PostgreSQL _t_ix_swap_new.)
        var swappedIn = string.Equals(now.Name, table.Table, StringComparison.OrdinalIgnoreCase);
        RefuseLaterAdditions(table.Table, swappedIn ? table.SwappedInIndexes : null, now.Indexes.Select(i => i.Name), "index(es) {0}", "does not have them");

        // A later change that retyped a kept column (an instant VARCHAR widening, a column made
        // nullable) lets the application write values the old column cannot take: the applier would
        // stop on them part-way (MySQL 1406 'Data too long').
        RefuseLaterRetypes(engine, table, now, old);

        var mapping = new List<ColumnMapping>();
        var insertOnly = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var o in old.Columns.Where(c => c.Generated is null))
        {
            if (NewName(table, o.Name) is not null)
            {
                var n = now.Column(NewColumn(o.Name))!;
                // The new column's type and collation too: the verifier compares a value moved to another
                // character set or collation as storing it converts it, as the forward swap's does.
                mapping.Add(new ColumnMapping(o.Name, engine.Convert(d.Quote(n.Name), n, o), o.NativeType, n.Name, n.NativeType, n.Collation, o.Collation));
            }
            else if (table.Values.TryGetValue(o.Name, out var value))
            {
                mapping.Add(new ColumnMapping(o.Name, "(" + value + ")", o.NativeType));
                insertOnly.Add(o.Name);
            }
        }
        var names = SwapNames.Reverse(table.Table, d.MaxIdentifierLength);
        return new SwapSpec
        {
            Original = now,
            Copy = old,
            Names = names,
            Key = oldKey.Select(NewColumn).ToList(),
            CopyKey = oldKey.Select(k => old.Column(k)?.Name ?? k).ToList(),
            Mapping = mapping,
            InsertOnly = insertOnly,
            Revert = true,
            // The reverse capture logs every write to the new table: verification leaves logged keys to the applier.
            Captured = true,
            ApplicationDeletesAfter = table.ResyncedUpTo,
            TargetPrimaryKey = original.PrimaryKey,
            TargetIndexes = original.Indexes,
            TargetForeignKeys = original.ForeignKeys,
        };
    }
}
