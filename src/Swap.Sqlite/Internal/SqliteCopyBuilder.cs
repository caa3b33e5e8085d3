using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.Sqlite.Internal;

/// <summary>
/// Builds the copy's CREATE TABLE from the original's own text: unchanged columns keep every
/// clause, changed columns get their new type, nullability and default, new columns are added
/// at their position; renames are applied after with ALTER TABLE ... RENAME COLUMN, which also
/// rewrites the constraints that name the column. Secondary indexes are made at the cut-over.
/// </summary>
internal static class SqliteCopyBuilder
{
    public static IReadOnlyList<string> Build(SqliteDialect d, TableSchema original, DbTable? target, SwapNames names)
    {
        var parsed = SqliteCreateTable.Parse(original.Extra["sql"]);
        var defs = parsed.Columns.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var items = new List<string>();
        var constraints = parsed.Constraints.ToList();
        var renames = new List<string>();
        var pkChanged = target is not null && !target.PrimaryKey.SequenceEqual(original.PrimaryKey, StringComparer.OrdinalIgnoreCase);
        // A STRICT table stays STRICT, so its new and changed columns get STRICT's storage types.
        Func<ColumnType, string> typeSql = SqliteDialect.IsStrict(parsed.Options)
            ? t => d.StrictTypeSql(t) ?? throw new SwapException(SwapErrorKind.Refused, $"'{original.Name}' is a STRICT table, which has no type for {t}.")
            : d.TypeSql;

        if (target is null)
        {
            items.AddRange(parsed.Columns.Select(c => c.Text(d.Quote)));
        }
        else
        {
            foreach (var c in target.Columns)
                items.Add(c.OriginalName is null ? NewColumn(d, c, ColumnRenames.CreateName(target, c), typeSql) : Existing(d, c, defs[c.OriginalName], pkChanged, typeSql));
            renames.AddRange(ColumnRenames.OfCopy(target).Select(r => $"ALTER TABLE {d.Quote(names.Copy)} RENAME COLUMN {d.Quote(r.From)} TO {d.Quote(r.To)}"));
            if (pkChanged)
            {
                constraints.RemoveAll(IsPrimaryKeyConstraint);
                var createNames = target.PrimaryKey.Select(k => ColumnRenames.CreateName(target, target.GetColumn(k)));
                constraints.Add($"PRIMARY KEY ({string.Join(", ", createNames.Select(d.Quote))})");
            }
            foreach (var gone in target.Original.Checks.Where(o => !target.Checks.Any(c => c.Original == o)))
                constraints.RemoveAll(c => SqliteCreateTable.IsCheckNamed(c, gone.Name));
            // An unnamed table CHECK over a dropped column goes with it, as a named one over it alone does (the engineer refuses a named one that also names a kept column).
            var droppedColumns = original.Columns.Where(o => !target.Columns.Any(c => string.Equals(c.OriginalName, o.Name, StringComparison.OrdinalIgnoreCase))).Select(o => o.Name).ToList();
            constraints.RemoveAll(c => SqliteCreateTable.IsCheck(c) && droppedColumns.Any(d => Swap.Dialects.Identifiers.IsNamedIn(c, d)));
            foreach (var check in target.Checks.Where(c => c.Original is null))
            {
                // The CREATE names columns as they are before the renames below, which SQLite then carries into the CHECK.
                if (target.Columns.FirstOrDefault(c => !string.Equals(ColumnRenames.CreateName(target, c), c.Name, StringComparison.Ordinal) && Swap.Dialects.Identifiers.IsNamedIn(check.Expression, c.Name))?.Name is { } renamed)
                    throw new SwapException(SwapErrorKind.Refused, $"The new check '{check.Name}' on '{original.Name}' names '{renamed}', a column this script renames; SQLite builds the new table before the rename. Add the check in a script of its own after this one.");
                constraints.Add($"CONSTRAINT {d.Quote(check.Name)} CHECK ({check.Expression})");
            }
            foreach (var fk in target.ForeignKeys.Where(f => f.Original is null))
            {
                var cols = fk.Columns.Select(c => ColumnRenames.CreateName(target, target.GetColumn(c)));
                var actions = (fk.OnDelete is null ? "" : " ON DELETE " + fk.OnDelete) + (fk.OnUpdate is null ? "" : " ON UPDATE " + fk.OnUpdate);
                constraints.Add($"CONSTRAINT {d.Quote(fk.Name)} FOREIGN KEY ({string.Join(", ", cols.Select(d.Quote))}) REFERENCES {d.Quote(fk.ReferencedTable)} ({string.Join(", ", fk.ReferencedColumns.Select(d.Quote))}){actions}");
            }
        }
        var body = string.Join(",\n  ", items.Concat(constraints));
        var create = $"CREATE TABLE {d.Quote(names.Copy)} (\n  {body}\n){(parsed.Options.Length > 0 ? " " + parsed.Options : "")}";
        return [create, .. renames];
    }

    /// <summary>CREATE INDEX statements for the swapped-in table (named as the original's).</summary>
    public static IEnumerable<string> Indexes(SqliteDialect d, SwapSpec spec) => IndexDefinitions(d, spec).Select(i => i.Definition);

    /// <summary>The swapped-in table's secondary indexes (not those of its constraints), each with its CREATE INDEX on the original's name.</summary>
    public static IEnumerable<(IndexSchema Index, string Definition)> IndexDefinitions(SqliteDialect d, SwapSpec spec)
    {
        foreach (var index in spec.TargetIndexes.Where(i => !i.IsConstraint))
        {
            if (index.Definition is not null)
            {
                yield return (index, index.Definition);
                continue;
            }
            var cols = string.Join(", ", index.Columns.Select(c => d.Quote(c.Name) + (c.Descending ? " DESC" : "")));
            yield return (index, $"CREATE {(index.Unique ? "UNIQUE " : "")}INDEX {d.Quote(index.Name)} ON {d.Quote(spec.Original.Name)} ({cols})");
        }
    }

    private static string NewColumn(SqliteDialect d, DbColumn c, string name, Func<ColumnType, string> typeSql)
    {
        var parts = new List<string> { d.Quote(name), typeSql(c.Type!) };
        if (!c.Nullable)
            parts.Add("NOT NULL");
        if (c.NewGenerated is { } generated)
            parts.Add(Generated(generated, c.GeneratedStored));
        else if (d.DefaultSql(c) is { } def)
            parts.Add("DEFAULT " + Wrap(def, c.DefaultIsValue));
        if (d.TypeCheck(name, c.Type) is { } check)
            parts.Add(check);
        return string.Join(' ', parts);
    }

    private static string Existing(SqliteDialect d, DbColumn c, SqliteCreateTable.ColumnDef def, bool pkChanged, Func<ColumnType, string> typeSql)
    {
        var type = c.Type is null ? def.Type : typeSql(c.Type);
        var rest = def.Rest;
        if (pkChanged)
            rest = SqliteCreateTable.PrimaryKey().Replace(rest, "");
        if (c.NullabilityChanged)
            rest = c.Nullable ? SqliteCreateTable.NotNull().Replace(rest, "") : rest + " NOT NULL";
        if (c.DefaultChanged)
        {
            rest = SqliteCreateTable.Default().Replace(rest, "");
            if (d.DefaultSql(c) is { } value)
                rest += " DEFAULT " + Wrap(value, c.DefaultIsValue);
        }
        if (c.Type is not null)
        {
            // The old type's CHECK (an enum's values, a boolean's 0/1, JSON's json_valid) goes with
            // it; the new type's, if it has one, takes its place.
            rest = WithoutTypeCheck(rest, def.Name);
            if (d.TypeCheck(def.Name, c.Type) is { } check)
                rest += " " + check;
            // A new type that names its collation replaces the column's (SQLite keeps the last
            // COLLATE given, so the old clause after the type would win: NOCASE could never go back to BINARY).
            if (SqliteCollation.In(type) is not null)
                rest = SqliteCollation.Without(rest);
        }
        if (c.GeneratedChanged)
            rest = WithoutGenerated(rest) + " " + Generated(c.NewGenerated!, c.GeneratedStored);
        return (d.Quote(def.Name) + " " + type + " " + rest.Trim()).Trim();
    }

    /// <summary>
    /// A column's clauses without the unnamed CHECK that a type of its own carries (an enum's
    /// <c>CHECK ("c" IN (...))</c>, a boolean's, JSON's <c>json_valid</c>): the new type's CHECK
    /// replaces it, so an enum given more values takes them.
    /// </summary>
    internal static string WithoutTypeCheck(string rest, string column)
    {
        var owned = new System.Text.RegularExpressions.Regex(
            $@"^\(\s*(""{System.Text.RegularExpressions.Regex.Escape(column.Replace("\"", "\"\"", StringComparison.Ordinal))}""|{System.Text.RegularExpressions.Regex.Escape(column)})\s+(IN\s*\(|IS\s+NULL\s+OR\s+json_valid\s*\()",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        var search = 0;
        while (System.Text.RegularExpressions.Regex.Match(rest[search..], @"(?<![\w""])CHECK\s*\(", System.Text.RegularExpressions.RegexOptions.IgnoreCase) is { Success: true } m)
        {
            var start = search + m.Index;
            var open = start + m.Length - 1;
            var depth = 0;
            var i = open;
            for (; i < rest.Length; i++)
            {
                if (rest[i] == '(')
                    depth++;
                else if (rest[i] == ')' && --depth == 0)
                    break;
                else if (rest[i] is '\'' or '"')
                    i = rest.IndexOf(rest[i], i + 1) is var close and >= 0 ? close : rest.Length;
            }
            var end = Math.Min(rest.Length, i + 1);
            if (owned.IsMatch(rest[open..end]))
            {
                rest = (rest[..start].TrimEnd() + " " + rest[end..].TrimStart()).Trim();
                search = Math.Min(start, rest.Length);
            }
            else
            {
                search = end;
            }
        }
        return rest;
    }

    private static string Generated(string expression, bool stored) => $"GENERATED ALWAYS AS ({expression}) {(stored ? "STORED" : "VIRTUAL")}";

    /// <summary>A column's clauses without its <c>[GENERATED ALWAYS] AS (...) [STORED|VIRTUAL]</c>.</summary>
    internal static string WithoutGenerated(string rest)
    {
        var m = System.Text.RegularExpressions.Regex.Match(rest, @"(GENERATED\s+ALWAYS\s+)?\bAS\s*\(", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        if (!m.Success)
            return rest;
        var depth = 0;
        var i = m.Index + m.Length - 1;
        for (; i < rest.Length; i++)
        {
            if (rest[i] == '(')
                depth++;
            else if (rest[i] == ')' && --depth == 0)
                break;
            else if (rest[i] == '\'')
                i = rest.IndexOf('\'', i + 1) is var close and >= 0 ? close : rest.Length;
        }
        var after = rest[Math.Min(rest.Length, i + 1)..];
        var kind = System.Text.RegularExpressions.Regex.Match(after, @"^\s*(STORED|VIRTUAL)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return (rest[..m.Index] + after[kind.Length..]).Trim();
    }

    /// <summary>Expressions go in parentheses (SQLite requires it for anything but a literal).</summary>
    private static string Wrap(string value, bool isLiteral) => isLiteral ? value : "(" + value + ")";

    private static bool IsPrimaryKeyConstraint(string constraint)
    {
        var words = constraint.Split((char[])[' ', '\t', '\n', '('], StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 0 && (words[0].Equals("PRIMARY", StringComparison.OrdinalIgnoreCase)
            || (words.Length > 2 && words[0].Equals("CONSTRAINT", StringComparison.OrdinalIgnoreCase) && words[2].Equals("PRIMARY", StringComparison.OrdinalIgnoreCase)));
    }
}
