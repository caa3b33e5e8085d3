using System.Text.Json;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.PostgreSql;

internal sealed partial class PostgresTableEngine
{
    public override IEnumerable<string> Refusals(TableSchema original, DbTable? target)
    {
        var x = original.Extra;
        if (x.GetValueOrDefault("kind") == "p")
            yield return "It is a partitioned table; change the partitions one by one, or use plain ALTER TABLE.";
        if (x.GetValueOrDefault("inherits") == "true")
            yield return "It takes part in table inheritance; Swap cannot move inheritance links. Use plain ALTER TABLE.";
        if (x.GetValueOrDefault("rls") == "true")
            yield return "It has row-level security policies, which Swap does not copy yet. Disable and drop the policies for the swap and recreate them after, or use plain ALTER TABLE.";
        foreach (var view in JsonSerializer.Deserialize<List<string[]>>(x.GetValueOrDefault("views") ?? "[]") ?? [])
        {
            if (view[1] == "m")
                yield return $"The materialized view '{view[0]}' depends on it; drop it for the swap and recreate it after.";
        }
        if (original.Indexes.Any(i => i.Definition?.Contains(" EXCLUDE ", StringComparison.Ordinal) == true) || Constraints(original).Any(c => c[1].StartsWith("EXCLUDE", StringComparison.Ordinal)))
            yield return "It has an exclusion constraint, which Swap does not carry over yet.";
        if (target is null)
            yield break;
        foreach (var index in target.Indexes.Where(i => i.Original is null && i.Columns.Any(c => c.Prefix is not null)))
            yield return $"Index '{index.Name}' has a prefix length, which PostgreSQL does not have; index the whole column or an expression (left(col, n)) with plain SQL.";
    }

    public override IReadOnlyList<string> CreateCopy(TableSchema original, DbTable? target, SwapNames names)
    {
        var copy = D.Quote(names.Copy);
        var sql = new List<string>();
        var defs = new List<string>();
        var renames = new List<string>();
        var checks = new List<string>();

        if (target is null)
        {
            defs.AddRange(original.Columns.Select(c => ColumnDef(c.Name, c.NativeType, c, c.Nullable, c.Default)));
        }
        else
        {
            foreach (var c in target.Columns)
            {
                if (c.OriginalName is null)
                {
                    defs.Add(ColumnDef(c.Name, D.TypeSql(c.Type!), null, c.Nullable, D.DefaultSql(c)));
                }
                else
                {
                    var o = c.Original!;
                    defs.Add(ColumnDef(o.Name, c.Type is null ? o.NativeType : D.TypeSql(c.Type), o, c.Nullable, c.DefaultChanged ? D.DefaultSql(c) : o.Default));
                    if (!string.Equals(o.Name, c.Name, StringComparison.Ordinal))
                        renames.Add($"ALTER TABLE {copy} RENAME COLUMN {D.Quote(o.Name)} TO {D.Quote(c.Name)}");
                }
                if (D.TypeCheck(c.OriginalName ?? c.Name, c.Type) is { } check)
                    checks.Add($"ALTER TABLE {copy} ADD CONSTRAINT {D.Quote(Truncate(names.Table + "_" + c.Name + "_check"))} {check}");
            }
        }
        var unlogged = original.Extra.GetValueOrDefault("persistence") == "u" ? "UNLOGGED " : "";
        // Autovacuum stays off on the copy while it is filled: an autovacuum holding the copy when the
        // cut-over asks for its lock makes every attempt wait out lock_timeout with the application's
        // writes queued behind it. AfterCutOver restores the original's setting and analyzes the table.
        var options = $" WITH ({string.Join(", ", OwnOptions(original).Append(AutovacuumOff))})";
        sql.Add($"CREATE {unlogged}TABLE {copy} (\n  {string.Join(",\n  ", defs)}\n){options}");

        var dropped = target is null ? [] : original.Columns.Where(c => !target.Columns.Any(t => string.Equals(t.OriginalName, c.Name, StringComparison.OrdinalIgnoreCase))).Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var con in Constraints(original))
        {
            if (dropped.Any(d => con[1].Contains(d, StringComparison.OrdinalIgnoreCase)))
                continue;
            sql.Add($"ALTER TABLE {copy} ADD CONSTRAINT {D.Quote(con[0])} {con[1]}");
        }
        sql.AddRange(checks);

        // A copy built from the script's changes is filled as a bare heap and gets its key with the
        // other indexes (DefersKey); an exact clone for SQL on the copy gets it now, as chunks and
        // the applier then take turns from the start and skip keys already copied.
        if (target is null && original.PrimaryKey.Count > 0)
            sql.Add(KeyIndexDef(original, original.PrimaryKey, copy));
        // A copy built from the script's changes gets its secondary indexes once it is filled
        // (BuildIndexesAsync); an exact clone for SQL on the copy gets them now.
        if (target is null)
        {
            foreach (var index in original.Indexes)
                sql.Add(IndexDef(index, names));
        }

        sql.AddRange(renames);
        foreach (var c in (IEnumerable<ColumnSchema>)original.Columns)
        {
            if (c.Comment is { Length: > 0 } comment && !dropped.Contains(c.Name))
                sql.Add($"COMMENT ON COLUMN {copy}.{D.Quote(target?.Columns.First(t => string.Equals(t.OriginalName, c.Name, StringComparison.OrdinalIgnoreCase)).Name ?? c.Name)} IS {D.Literal(comment)}");
        }
        if (original.Extra.GetValueOrDefault("comment") is { Length: > 0 } tableComment)
            sql.Add($"COMMENT ON TABLE {copy} IS {D.Literal(tableComment)}");
        if (original.Extra.GetValueOrDefault("owner") is { Length: > 0 } owner && !string.Equals(owner, database.UserName, StringComparison.Ordinal))
            sql.Add($"ALTER TABLE {copy} OWNER TO {D.Quote(owner)}");
        foreach (var grant in JsonSerializer.Deserialize<List<string[]>>(original.Extra.GetValueOrDefault("grants") ?? "[]") ?? [])
            sql.Add($"GRANT {grant[1]} ON {copy} TO {(grant[0] == "PUBLIC" ? "PUBLIC" : D.Quote(grant[0]))}");
        return sql;
    }

    /// <summary>The unique index on the copy's key, under the name the cut-over turns into the primary key.</summary>
    private string KeyIndexDef(TableSchema original, IEnumerable<string> key, string copy) =>
        $"CREATE UNIQUE INDEX {D.Quote(TempIndexName(PrimaryKeyName(original)))} ON {copy} ({string.Join(", ", key.Select(D.Quote))})";

    private static string CreateName(DbTable target, string column) => target.GetColumn(column) is var c && c.OriginalName is not null ? c.OriginalName : c.Name;

    private string ColumnDef(string name, string type, ColumnSchema? original, bool nullable, string? defaultSql)
    {
        var parts = new List<string> { D.Quote(name), type };
        if (original?.Collation is { } collation)
            parts.Add("COLLATE " + D.Quote(collation));
        if (original?.Generated is { } generated)
            parts.Add($"GENERATED ALWAYS AS ({generated}) STORED");
        else if (original?.Extra.GetValueOrDefault("identity") is { } identity)
            parts.Add($"GENERATED {identity} AS IDENTITY");
        else if (defaultSql is not null)
            parts.Add("DEFAULT " + defaultSql);
        if (!nullable)
            parts.Add("NOT NULL");
        return string.Join(' ', parts);
    }

    /// <summary>An index on the copy under a temporary name (index names are per schema); the cut-over gives it the final name.</summary>
    private string IndexDef(IndexSchema index, SwapNames names, bool concurrently = false)
    {
        var temp = D.Quote(TempIndexName(index.Name));
        var create = $"CREATE {(index.Unique ? "UNIQUE " : "")}INDEX {(concurrently ? "CONCURRENTLY " : "")}{temp} ON {(concurrently ? Q(names.Copy) : D.Quote(names.Copy))}";
        // The catalog keeps the part of the definition after "ON table": "USING btree (a, lower(b)) WHERE ...".
        if (index.Definition is { } tail && tail.StartsWith("USING ", StringComparison.Ordinal))
            return $"{create} {tail}";
        var cols = string.Join(", ", index.Columns.Select(c => D.Quote(c.Name) + (c.Descending ? " DESC" : "")));
        return $"{create} ({cols})";
    }

    internal static string PrimaryKeyName(TableSchema original) => original.PrimaryKeyName ?? Truncate(original.Name + "_pkey");

    /// <summary>The copy's name for an index while the copy is built.</summary>
    internal static string TempIndexName(string name) => SwapNames.For(name, 63).Copy;

    /// <summary>The name an original index takes when its table is renamed away.</summary>
    internal static string OldIndexName(string name) => SwapNames.For(name, 63).Old;

    private const string AutovacuumOff = "autovacuum_enabled = false";

    /// <summary>The original's storage options (<c>fillfactor=90</c>...) without autovacuum_enabled.</summary>
    private static IEnumerable<string> OwnOptions(TableSchema original) =>
        (original.Extra.GetValueOrDefault("options") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(o => !o.StartsWith("autovacuum_enabled=", StringComparison.OrdinalIgnoreCase));

    /// <summary>The original's autovacuum_enabled option (<c>autovacuum_enabled=false</c>), or null when it has none.</summary>
    private static string? OwnAutovacuum(TableSchema original) =>
        (original.Extra.GetValueOrDefault("options") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(o => o.StartsWith("autovacuum_enabled=", StringComparison.OrdinalIgnoreCase));

    private static string Truncate(string name) => name.Length <= 63 ? name : name[..63];

    private static List<string[]> Constraints(TableSchema original) =>
        JsonSerializer.Deserialize<List<string[]>>(original.Extra.GetValueOrDefault("constraints") ?? "[]") ?? [];
}
