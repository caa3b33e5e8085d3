using System.Data.Common;
using Npgsql;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.PostgreSql;

/// <summary>
/// The online copy-and-swap on PostgreSQL: row triggers append changed keys to a change log,
/// chunks are copied with plain reads (no <c>FOR SHARE</c>: it would write every tuple header of
/// the original) into a copy without indexes, which get built once it is filled, and the cut-over locks the originals, applies
/// the rest of the log and renames all tables in one transaction under <c>lock_timeout</c>, moving what binds to the
/// table by identity: views, referencing foreign keys (re-added NOT VALID, then validated),
/// sequences and identity, index and constraint names, and the user's own triggers.
/// </summary>
internal sealed partial class PostgresTableEngine(PostgresDatabase database) : TableEngine(database)
{
    private PostgresDialect D => PostgresDialect.Instance;

    public override bool Online => true;

    public override bool FullOuterJoin => true;

    /// <summary>A table name qualified with the target schema: triggers run under the application's search_path.</summary>
    private string Q(string table) => D.Quote(database.Schema) + "." + D.Quote(table);

    /// <summary>A table of <paramref name="schema"/>, or of Swap's schema when it is null (a foreign key's other table, a view over the table).</summary>
    private string Q(string? schema, string table) => schema is null ? Q(table) : D.Quote(schema) + "." + D.Quote(table);

    /// <summary>
    /// The copy's value of a retyped column. An explicit cast to a bounded character type
    /// (<c>varchar(n)</c>, <c>char(n)</c>) cuts a longer value off without a word, so the value is
    /// cast to the unbounded type and the copy's column bounds it on insert, where a value that does
    /// not fit is an error (22001) that stops the swap, as on MySQL.
    /// </summary>
    public override string Convert(string source, ColumnSchema from, ColumnSchema to) =>
        string.Equals(from.NativeType, to.NativeType, StringComparison.Ordinal) ? source : $"CAST({source} AS {Unbounded(to.NativeType)})";

    private static string Unbounded(string type)
    {
        var m = BoundedCharacterType().Match(type);
        if (!m.Success)
            return type;
        var name = m.Groups[1].Value.ToLowerInvariant() is "character varying" or "varchar" ? "character varying" : "bpchar";
        return name + m.Groups[2].Value;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(character varying|varchar|character|char|bpchar)\(\d+\)((?:\[\])*)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex BoundedCharacterType();

    /// <summary>Types without an equality operator are compared through their text form; the rest directly, which is much cheaper.</summary>
    private static readonly string[] NoEquality = ["json", "xml", "point", "line", "lseg", "box", "path", "polygon", "circle"];

    public override string SameValue(string original, string copy, ColumnMapping mapping)
    {
        if (NoEquality.Any(t => mapping.CopyType.StartsWith(t, StringComparison.OrdinalIgnoreCase) && (mapping.CopyType.Length == t.Length || mapping.CopyType[t.Length] is '[' or ' ' or '(')))
            return $"(CAST({original} AS {mapping.CopyType}))::text IS NOT DISTINCT FROM ({copy})::text";
        // A column moved to another collation: its cast keeps the original's, and PostgreSQL cannot
        // compare two collations ('could not determine which collation to use'); the copy holds the
        // same characters, so both are compared byte by byte.
        var collations = mapping.OriginType is { } from && Collatable(from, mapping.OriginCollation) && Collatable(mapping.CopyType, mapping.CopyCollation)
            && !string.Equals(mapping.OriginCollation, mapping.CopyCollation, StringComparison.Ordinal);
        return collations
            ? $"CAST({original} AS {mapping.CopyType}) COLLATE \"C\" IS NOT DISTINCT FROM {copy} COLLATE \"C\""
            : $"CAST({original} AS {mapping.CopyType}) IS NOT DISTINCT FROM {copy}";
    }

    public override string CopyKeyAsOriginal(string copy, ColumnSchema original, ColumnSchema copyColumn) =>
        KeyCollationDiffers(original, copyColumn) ? $"{copy} COLLATE {KeyCollation(original)}" : copy;

    public override string OriginalKeyAsCopy(string original, ColumnSchema originalColumn, ColumnSchema copy) =>
        KeyCollationDiffers(originalColumn, copy) ? $"{original} COLLATE {KeyCollation(copy)}" : original;

    private static bool KeyCollationDiffers(ColumnSchema original, ColumnSchema copy) =>
        !string.Equals(original.Collation, copy.Collation, StringComparison.Ordinal)
        && Collatable(original.NativeType, original.Collation) && Collatable(copy.NativeType, copy.Collation);

    private string KeyCollation(ColumnSchema column) =>
        column.Collation is null ? "\"default\"" : (column.Extra.GetValueOrDefault("collation_schema") is { } schema ? D.Quote(schema) + "." : "") + D.Quote(column.Collation);

    /// <summary>A column of this type and collation has a collation (the catalog names it only when it is not the type's default).</summary>
    private static bool Collatable(string type, string? collation) =>
        collation is not null || CollatableType().IsMatch(type.Trim());

    [System.Text.RegularExpressions.GeneratedRegex(@"^(text|character varying|varchar|character|char|bpchar|citext|name)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex CollatableType();

    /// <summary>
    /// A plain insert of the range into the bare copy when its key is deferred (no chunk can meet a
    /// key already copied: the applier waits); otherwise keys already in the copy are skipped.
    /// </summary>
    public override string CopyChunk(SwapSpec spec, string range) =>
        $"INSERT INTO {Q(spec.Names.Copy)} ({Columns(spec)}){Overriding(spec)} SELECT {Sources(spec)} FROM {Q(spec.Original.Name)} o WHERE {range}{(spec.KeyDeferred && !spec.Original.Indexes.Any(IsExclusion) ? "" : " ON CONFLICT DO NOTHING")}";

    /// <summary>
    /// The applier deleted the batch's keys from the copy first, so a conflict here is with another
    /// of the copy's unique indexes or exclusion constraints: the row is skipped and its key logged
    /// again (<see cref="SwapQueries.Relog"/>), also on a copy filled as a bare heap.
    /// </summary>
    public override string ApplyRows(SwapSpec spec, int keys) =>
        $"INSERT INTO {Q(spec.Names.Copy)} ({Columns(spec)}){Overriding(spec)} SELECT {Sources(spec)} FROM {Q(spec.Original.Name)} o WHERE {KeyRange.In(D, "o", spec.Key, keys, "a")} ON CONFLICT DO NOTHING";

    /// <summary>The in-place re-sync of a revert window's old table: mapped columns updated, insert-only ones kept.</summary>
    public override string UpsertRows(SwapSpec spec, int keys)
    {
        var set = spec.Mapping
            .Where(m => !spec.InsertOnly.Contains(m.CopyColumn) && !spec.CopyKey.Contains(m.CopyColumn, StringComparer.OrdinalIgnoreCase))
            .Select(m => $"{D.Quote(m.CopyColumn)} = EXCLUDED.{D.Quote(m.CopyColumn)}")
            .ToList();
        var action = set.Count == 0 ? "DO NOTHING" : "DO UPDATE SET " + string.Join(", ", set);
        var range = KeyRange.In(D, "o", spec.Key, keys, "a");
        return $"INSERT INTO {Q(spec.Names.Copy)} ({Columns(spec)}){Overriding(spec)} SELECT {Sources(spec)} FROM {Q(spec.Original.Name)} o WHERE {range} " +
            $"ON CONFLICT ({string.Join(", ", spec.CopyKey.Select(D.Quote))}) {action}";
    }

    /// <summary>
    /// The old table's own foreign keys go while the window is open: deleting a parent row whose
    /// child the application already deleted in the new table would fail on the stale old row.
    /// The revert adds them back (NOT VALID, then validated).
    /// </summary>
    public override IReadOnlyList<string> DetachOld(SwapSpec spec) =>
        spec.Original.ForeignKeys.Select(f => $"ALTER TABLE {Q(spec.Names.Old)} DROP CONSTRAINT IF EXISTS {D.Quote(f.Name)}").ToList();

    public override IReadOnlyList<string> DropOld(SwapSpec spec) => [$"DROP TABLE IF EXISTS {Q(spec.Names.Old)}"];

    public override async Task<bool> IsSwappedAsync(DbConnection connection, DbTransaction? transaction, SwapSpec spec, CancellationToken cancellationToken) =>
        !await database.TableExistsAsync(connection, spec.Names.Copy, cancellationToken)
        && await database.TableExistsAsync(connection, spec.Names.Old, cancellationToken);

    public override async Task<IReadOnlyList<Leftover>> FindLeftoversAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync(
            """
            SELECT 'table' AS kind, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = @schema AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname LIKE '\_%\_swap\_%'
            UNION ALL
            SELECT 'function', p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = @schema AND p.proname LIKE '\_%\_swap\_%fn'
            """,
            new { schema = database.Schema },
            cancellationToken);
        return Leftovers(rows.Select(r => (r.String("kind")!, r.String("name")!)));
    }

    public override IReadOnlyList<string> Remove(Leftover leftover)
    {
        ArgumentNullException.ThrowIfNull(leftover);
        if (!SwapNames.IsSwapName(leftover.Name))
            return [];
        return leftover.Kind switch
        {
            "table" => [$"DROP TABLE IF EXISTS {Q(leftover.Name)}"],
            "function" => [$"DROP FUNCTION IF EXISTS {Q(leftover.Name)}() CASCADE"],
            _ => [],
        };
    }


    /// <summary>Identity columns GENERATED ALWAYS take explicit values only with OVERRIDING SYSTEM VALUE.</summary>
    private static string Overriding(SwapSpec spec) =>
        spec.Copy.Columns.Any(c => c.Extra.GetValueOrDefault("identity") == "ALWAYS" && spec.Mapping.Any(m => string.Equals(m.CopyColumn, c.Name, StringComparison.OrdinalIgnoreCase)))
            ? " OVERRIDING SYSTEM VALUE"
            : "";
}
