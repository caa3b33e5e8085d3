using System.Text.Json;
using Swap.Engine;
using Swap.Engine.Schema;
using Swap.PostgreSql.Internal;

namespace Swap.PostgreSql;

internal sealed partial class PostgresTableEngine
{
    public override IEnumerable<string> Refusals(TableSchema original, DbTable? target)
    {
        var x = original.Extra;
        if (x.GetValueOrDefault("partition_of") is { Length: > 0 } parent)
            yield return $"It is a partition of '{parent}'; swap the partitioned table '{parent}' (its partitions come with it), or use plain ALTER TABLE.";
        foreach (var reason in PartitionedRefusals(original, target))
            yield return reason;
        if (x.GetValueOrDefault("inherits") == "true")
            yield return "It takes part in table inheritance; Swap cannot move inheritance links. Use plain ALTER TABLE.";
        if (target is null)
            yield break;
        var droppedColumns = original.Columns.Where(c => !target.Columns.Any(t => string.Equals(t.OriginalName, c.Name, StringComparison.OrdinalIgnoreCase))).Select(c => c.Name).ToList();
        foreach (var policy in Policies(original))
        {
            if (droppedColumns.FirstOrDefault(d => (policy[4] + " " + policy[5]).Contains(d, StringComparison.OrdinalIgnoreCase)) is { } used)
                yield return $"The row-level security policy '{policy[0]}' names the column '{used}', which this swap drops. Drop or change the policy first.";
        }
        var renamedColumns = target.Columns.Where(c => c.OriginalName is not null && !string.Equals(c.OriginalName, c.Name, StringComparison.Ordinal)).Select(c => c.OriginalName!).ToList();
        foreach (var trigger in original.Triggers.Where(t => t.Body is not null && !SwapNames.IsSwapName(t.Name)))
        {
            if (droppedColumns.Concat(renamedColumns).FirstOrDefault(c => NamesRecordField(trigger.Body!, c)) is { } used)
                yield return $"Its trigger '{trigger.Name}' runs a PL/pgSQL function that uses NEW.{used} or OLD.{used}, a column this change drops or renames; PostgreSQL resolves it only when the trigger fires, so every later write would fail (\"record \"new\" has no field\"). Change the function first (CREATE OR REPLACE FUNCTION in an earlier migration), or keep the column.";
        }
        foreach (var publication in Publications(original))
        {
            var named = publication[2] + " " + publication[3];
            if (droppedColumns.Concat(renamedColumns).FirstOrDefault(d => named.Contains(d, StringComparison.OrdinalIgnoreCase)) is { } used)
                yield return $"The publication '{publication[0]}' names the column '{used}' in its column list or row filter, which this swap drops or renames, so the new table could not take the table's place in it. Change the publication first (ALTER PUBLICATION {D.Quote(publication[0])} SET TABLE ...), or use plain ALTER TABLE.";
        }
        foreach (var exclusion in original.Indexes.Where(IsExclusion))
        {
            if (!target.Indexes.Any(i => i.Original == exclusion))
                yield return $"The exclusion constraint '{exclusion.Name}' cannot be dropped by a swap; drop it with plain ALTER TABLE ... DROP CONSTRAINT.";
        }
        foreach (var c in target.Columns.Where(c => c.NewGenerated is not null && !c.GeneratedStored))
            yield return $"Column '{c.Name}' is a virtual generated column; PostgreSQL 15 has stored generated columns only. Use GeneratedAs(\"...\", stored: true).";
        if (target.Partitioning is not null && original.ReferencedBy.Count > 0)
            yield return $"Foreign keys of other tables point at it ({string.Join(", ", original.ReferencedBy.Select(f => f.Table + "." + f.Name))}); they reference its primary key, which partitioning changes. Drop them for the conversion and add them back after.";
        foreach (var index in target.Indexes.Where(i => i.Original is null && i.Columns.Any(c => c.Prefix is not null)))
            yield return $"Index '{index.Name}' has a prefix length, which PostgreSQL does not have; index the whole column or an expression (left(col, n)) with plain SQL.";
    }

    /// <summary>
    /// True when PL/pgSQL <paramref name="body"/> names <paramref name="column"/> of the trigger's row
    /// (<c>NEW.c</c>, <c>OLD."C"</c>): quoted as written, or unquoted, which PostgreSQL folds to lower case.
    /// </summary>
    internal static bool NamesRecordField(string body, string column)
    {
        var quoted = "\"" + column.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var field = string.Equals(column, column.ToLowerInvariant(), StringComparison.Ordinal) && System.Text.RegularExpressions.Regex.IsMatch(column, "^[a-z_][a-z0-9_$]*$")
            ? $"(?:{System.Text.RegularExpressions.Regex.Escape(quoted)}|(?i:{System.Text.RegularExpressions.Regex.Escape(column)})(?![A-Za-z0-9_$]))"
            : System.Text.RegularExpressions.Regex.Escape(quoted);
        return System.Text.RegularExpressions.Regex.IsMatch(body, @"(?<![A-Za-z0-9_$.])(?i:NEW|OLD)\s*\.\s*" + field);
    }

    /// <summary>
    /// What stops a copy whatever the change (an instant change copies no row and keeps the
    /// table, so PostgreSQL keeps these bound to it): materialized views over it, rules on it or of
    /// other tables bound to it, functions bound to its row type, columns of its row type; a deferrable exclusion constraint, as the copy
    /// skips a conflicting row with ON CONFLICT DO NOTHING, which PostgreSQL refuses for one.
    /// </summary>
    public override IEnumerable<string> CaptureRefusals(TableSchema original)
    {
        // A materialized view binds to the table (an instant change keeps the table, and PostgreSQL updates the view's catalog).
        foreach (var view in JsonSerializer.Deserialize<List<string[]>>(original.Extra.GetValueOrDefault("views") ?? "[]") ?? [])
        {
            if (view[1] == "m")
                yield return $"The materialized view '{ViewName(view)}' depends on it; drop it for the swap and recreate it after.";
        }
        foreach (var rule in JsonSerializer.Deserialize<List<string>>(original.Extra.GetValueOrDefault("rules") ?? "[]") ?? [])
            yield return $"The rule '{rule}' is defined on it, and a swap does not carry rules to the new table (it would be dropped with the old one). Drop the rule in the migration before the swap and create it again after, or use plain ALTER TABLE.";
        foreach (var function in JsonSerializer.Deserialize<List<string>>(original.Extra.GetValueOrDefault("functions") ?? "[]") ?? [])
            yield return $"The function {function} is bound to it (a parameter or result of its row type, or a SQL-standard body that reads it): it would keep using the old table, which then could not be dropped. Drop the function in the migration before the swap and create it again after.";
        // A rule binds to the table itself: after the swap it would go on writing (or reading) the old table.
        foreach (var rule in JsonSerializer.Deserialize<List<string[]>>(original.Extra.GetValueOrDefault("other_rules") ?? "[]") ?? [])
            yield return $"The rule '{rule[0]}' on '{rule[1]}' reads or writes it, and a rule keeps pointing at the old table after a swap (its writes would be lost with it). Drop the rule in the migration before the swap and create it again after, or use plain ALTER TABLE.";
        foreach (var column in JsonSerializer.Deserialize<List<string>>(original.Extra.GetValueOrDefault("row_type_users") ?? "[]") ?? [])
            yield return $"The column '{column}' has its row type as type, which is the old table's after a swap (the old table could then not be dropped). Change that column's type, or use plain ALTER TABLE.";
        foreach (var con in Constraints(original).Where(c => c[1].StartsWith("EXCLUDE", StringComparison.Ordinal) && c[1].Contains(" DEFERRABLE", StringComparison.Ordinal)))
            yield return $"The exclusion constraint '{con[0]}' is DEFERRABLE, and the copy skips a row that conflicts with it (ON CONFLICT DO NOTHING), which PostgreSQL does not allow with a deferrable constraint. Make it NOT DEFERRABLE for the swap (drop it and add it back without DEFERRABLE) and put it back after, or use plain ALTER TABLE.";
    }

    public override IReadOnlyList<string> CreateCopy(TableSchema original, DbTable? target, SwapNames names)
    {
        var copy = D.Quote(names.Copy);
        var sql = new List<string>();
        var defs = new List<string>();
        var renames = new List<string>();
        var checks = new List<string>();
        // The original's CHECKs that a changed type's own CHECK replaces (an enum given other values).
        var replacedChecks = new HashSet<string>(StringComparer.Ordinal);

        if (target is null)
        {
            defs.AddRange(original.Columns.Select(c => ColumnDef(c.Name, c.NativeType, c, c.Nullable, c.Default, c.Generated)));
        }
        else
        {
            foreach (var c in target.Columns)
            {
                var created = ColumnRenames.CreateName(target, c);
                if (c.OriginalName is null)
                {
                    defs.Add(ColumnDef(created, D.TypeSql(c.Type!), null, c.Nullable, D.DefaultSql(c), c.GeneratedExpression));
                }
                else
                {
                    var o = c.Original!;
                    // A new type keeps the column's collation only where it takes one: a text column
                    // with COLLATE "C" made integer (PostgreSQL: 'collations are not supported by
                    // type integer'), or given a native type with a COLLATE of its own ('multiple
                    // COLLATE clauses'), stopped the copy with the server's error.
                    var collated = c.Type is null || KeepsCollation(c.Type, D.TypeSql(c.Type)) ? o : o with { Collation = null };
                    defs.Add(ColumnDef(o.Name, c.Type is null ? o.NativeType : D.TypeSql(c.Type), collated, c.Nullable, c.DefaultChanged ? D.DefaultSql(c) : o.Default, c.GeneratedExpression));
                }
                if (D.TypeCheck(created, c.Type) is { } check)
                {
                    var checkName = PostgresDialect.DefaultName(names.Table, c.Name, "check");
                    checks.Add($"ALTER TABLE {copy} ADD CONSTRAINT {D.Quote(checkName)} {check}");
                    if (c.TypeChanged)
                    {
                        replacedChecks.Add(checkName);
                        replacedChecks.Add(PostgresDialect.DefaultName(names.Table, c.Original!.Name, "check"));
                    }
                }
                else if (c.TypeChanged && PostgresDialect.ValueListCheck(original, c.Original!.Name) is { } typeCheck)
                {
                    // An enum made another type: its CHECK on the values goes with the old type.
                    replacedChecks.Add(typeCheck);
                }
            }
            renames.AddRange(ColumnRenames.OfCopy(target).Select(r => $"ALTER TABLE {copy} RENAME COLUMN {D.Quote(r.From)} TO {D.Quote(r.To)}"));
        }
        var unlogged = original.Extra.GetValueOrDefault("persistence") == "u" ? "UNLOGGED " : "";
        // Autovacuum stays off on the copy while it is filled: an autovacuum holding the copy when the
        // cut-over asks for its lock makes every attempt wait out lock_timeout with the application's
        // writes queued behind it. AfterCutOver restores the original's setting and analyzes the table.
        var options = $" WITH ({string.Join(", ", OwnOptions(original).Append(AutovacuumOff).Concat(ToastOptions(original)))})";
        if (target?.Partitioning is { } partitioning)
        {
            // A partitioned table has no storage of its own: the options go to each partition.
            var partitionKey = string.Join(", ", partitioning.Columns.Select(c => D.Quote(ColumnRenames.CreateName(target, target.GetColumn(c)))));
            sql.Add($"CREATE {unlogged}TABLE {copy} (\n  {string.Join(",\n  ", defs)}\n) PARTITION BY {partitioning.Method.ToString().ToUpperInvariant()} ({partitionKey})");
            foreach (var (name, clause) in partitioning.Declared(names.Table))
                sql.Add($"CREATE {unlogged}TABLE {D.Quote(name)} PARTITION OF {copy} {clause}{options}");
        }
        else if (IsPartitioned(original))
        {
            // Partitioned the same way: the key as the catalog prints it (column names of the
            // original, which the copy has until the renames below), each partition with its bound
            // and storage, under a temporary name that the cut-over swaps with the original partition's.
            sql.Add($"CREATE TABLE {copy} (\n  {string.Join(",\n  ", defs)}\n) PARTITION BY {original.Extra["partition_key"]}");
            foreach (var p in PartitionBounds(original))
            {
                sql.Add($"CREATE {(p.Persistence == "u" ? "UNLOGGED " : "")}TABLE {D.Quote(TempIndexName(p.Name))} PARTITION OF {copy} {p.Bound} WITH ({string.Join(", ", OwnOptions(p.Options).Append(AutovacuumOff))})");
            }
        }
        else
        {
            sql.Add($"CREATE {unlogged}TABLE {copy} (\n  {string.Join(",\n  ", defs)}\n){options}");
        }

        var dropped = target is null ? [] : original.Columns.Where(c => !target.Columns.Any(t => string.Equals(t.OriginalName, c.Name, StringComparison.OrdinalIgnoreCase))).Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var droppedChecks = target is null ? [] : original.Checks.Where(o => !target.Checks.Any(c => c.Original == o)).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var con in Constraints(original))
        {
            if (dropped.Any(d => con[1].Contains(d, StringComparison.OrdinalIgnoreCase)) || replacedChecks.Contains(con[0]) || droppedChecks.Contains(con[0]) || IsNotValid(con))
                continue;
            // An exclusion constraint has an index, and index names are per schema: the copy's goes
            // under a temporary name, which the cut-over renames (with the constraint).
            var name = con[1].StartsWith("EXCLUDE", StringComparison.Ordinal) ? TempIndexName(con[0]) : con[0];
            sql.Add($"ALTER TABLE {copy} ADD CONSTRAINT {D.Quote(name)} {con[1]}");
        }
        sql.AddRange(checks);

        // Column statistics targets (ALTER COLUMN ... SET STATISTICS), under the original's column names.
        foreach (var c in original.Columns.Where(c => !dropped.Contains(c.Name) && c.Extra.ContainsKey("statistics")))
            sql.Add($"ALTER TABLE {copy} ALTER COLUMN {D.Quote(c.Name)} SET STATISTICS {c.Extra["statistics"]}");
        foreach (var c in original.Columns.Where(c => !dropped.Contains(c.Name) && c.Extra.ContainsKey("attoptions")))
            sql.Add($"ALTER TABLE {copy} ALTER COLUMN {D.Quote(c.Name)} SET ({c.Extra["attoptions"]})");
        // Column storage other than the type's default, and compression set on the column, where the swap keeps the column's type.
        bool Kept(ColumnSchema c) => !dropped.Contains(c.Name)
            && !(target?.Columns.Any(t => string.Equals(t.OriginalName, c.Name, StringComparison.OrdinalIgnoreCase) && t.TypeChanged) ?? false);
        foreach (var c in original.Columns.Where(c => c.Extra.ContainsKey("storage") && Kept(c)))
            sql.Add($"ALTER TABLE {copy} ALTER COLUMN {D.Quote(c.Name)} SET STORAGE {c.Extra["storage"]}");
        foreach (var c in original.Columns.Where(c => c.Extra.ContainsKey("compression") && Kept(c)))
            sql.Add($"ALTER TABLE {copy} ALTER COLUMN {D.Quote(c.Name)} SET COMPRESSION {c.Extra["compression"]}");
        // Row-level security and its policies, before the renames (PostgreSQL follows them in the expressions).
        if (original.Extra.GetValueOrDefault("rls") == "true")
            sql.Add($"ALTER TABLE {copy} ENABLE ROW LEVEL SECURITY");
        if (original.Extra.GetValueOrDefault("force_rls") == "true")
            sql.Add($"ALTER TABLE {copy} FORCE ROW LEVEL SECURITY");
        foreach (var p in Policies(original))
        {
            sql.Add($"CREATE POLICY {D.Quote(p[0])} ON {copy} AS {p[1]} FOR {p[2]} TO {p[3]}"
                + (p[4].Length > 0 ? $" USING ({p[4]})" : "") + (p[5].Length > 0 ? $" WITH CHECK ({p[5]})" : ""));
        }

        // A copy built from the script's changes is filled as a bare heap and gets its key with the
        // other indexes (DefersKey); an exact clone for SQL on the copy gets it now, as chunks and
        // the applier then take turns from the start and skip keys already copied.
        if (target is null && original.PrimaryKey.Count > 0)
            sql.Add(IsPartitioned(original) ? KeyConstraintDef(original, original.PrimaryKey, copy) : KeyIndexDef(original, original.PrimaryKey, copy));
        // A copy built from the script's changes gets its secondary indexes once it is filled
        // (BuildIndexesAsync); an exact clone for SQL on the copy gets them now.
        if (target is null)
        {
            foreach (var index in original.Indexes.Where(i => !IsExclusion(i)))
                sql.Add(IsPartitioned(original) && IsUniqueConstraint(index) ? UniqueConstraintDef(index, copy) : IndexDef(index, names));
        }

        sql.AddRange(renames);
        // The script's new CHECKs, over the final column names: each chunk's INSERT then checks its rows, and one that fails is named (exit 7).
        if (target is not null)
            sql.AddRange(target.Checks.Where(c => c.Original is null).Select(c => $"ALTER TABLE {copy} ADD CONSTRAINT {D.Quote(c.Name)} CHECK ({c.Expression})"));
        foreach (var c in (IEnumerable<ColumnSchema>)original.Columns)
        {
            if (c.Comment is { Length: > 0 } comment && !dropped.Contains(c.Name))
                sql.Add($"COMMENT ON COLUMN {copy}.{D.Quote(target?.Columns.First(t => string.Equals(t.OriginalName, c.Name, StringComparison.OrdinalIgnoreCase)).Name ?? c.Name)} IS {D.Literal(comment)}");
        }
        if (original.Extra.GetValueOrDefault("comment") is { Length: > 0 } tableComment)
            sql.Add($"COMMENT ON TABLE {copy} IS {D.Literal(tableComment)}");
        if (original.Extra.GetValueOrDefault("owner") is { Length: > 0 } owner && !string.Equals(owner, database.UserName, StringComparison.Ordinal))
            sql.Add($"ALTER TABLE {copy} OWNER TO {D.Quote(owner)}");
        var tableOwner = original.Extra.GetValueOrDefault("owner") ?? "";
        foreach (var grant in GrantOrder(JsonSerializer.Deserialize<List<string[]>>(original.Extra.GetValueOrDefault("grants") ?? "[]") ?? [], tableOwner))
        {
            var statement = $"GRANT {grant[1]} ON {copy} TO {Grantee(grant[0])}{WithGrantOption(grant, 2)}";
            sql.Add(Grantor(grant) is { } grantor && !string.Equals(grantor, tableOwner, StringComparison.Ordinal) ? AsGrantor(grantor, statement) : statement);
        }
        foreach (var grant in JsonSerializer.Deserialize<List<string[]>>(original.Extra.GetValueOrDefault("column_grants") ?? "[]") ?? [])
        {
            if (dropped.Contains(grant[0]))
                continue;
            var column = D.Quote(target?.Columns.First(t => string.Equals(t.OriginalName, grant[0], StringComparison.OrdinalIgnoreCase)).Name ?? grant[0]);
            // Each privilege with its column list: "GRANT SELECT, UPDATE (c)" would grant SELECT on the whole table.
            var privileges = string.Join(", ", grant[2].Split(", ").Select(p => $"{p} ({column})"));
            sql.Add($"GRANT {privileges} ON {copy} TO {Grantee(grant[1])}{WithGrantOption(grant, 3)}");
        }
        return sql;
    }

    private string Grantee(string role) => role == "PUBLIC" ? "PUBLIC" : D.Quote(role);

    /// <summary>The role that made a grant (absent in swaps journaled before it was read).</summary>
    private static string? Grantor(string[] grant) => grant.Length > 3 && grant[3].Length > 0 ? grant[3] : null;

    /// <summary>
    /// Grants the owner made first, then each grant made by a role that held the grant option once
    /// that role's own grant is in: a role grants on the copy only what it may grant.
    /// </summary>
    private static IEnumerable<string[]> GrantOrder(List<string[]> grants, string owner)
    {
        var done = new HashSet<string>(StringComparer.Ordinal) { owner };
        var left = grants.ToList();
        while (left.Count > 0)
        {
            var ready = left.Where(g => Grantor(g) is not { } grantor || done.Contains(grantor)).ToList();
            if (ready.Count == 0)
                ready = left;
            foreach (var g in ready)
            {
                if (WithGrantOption(g, 2).Length > 0)
                    done.Add(g[0]);
                left.Remove(g);
                yield return g;
            }
        }
    }

    /// <summary>
    /// A grant another role than the owner made (it held the grant option), made again by that role
    /// so the copy's privileges keep their grantor (revoking that role's option then revokes them too).
    /// Swap's user becomes the role for the statement when it may (a superuser, or a member of the
    /// role); otherwise the grant is made as the owner, as before.
    /// </summary>
    private string AsGrantor(string grantor, string statement) =>
        $"DO $swap$ BEGIN IF pg_has_role({D.Literal(grantor)}, 'MEMBER') THEN EXECUTE {D.Literal("SET ROLE " + D.Quote(grantor))}; EXECUTE {D.Literal(statement)}; EXECUTE 'RESET ROLE'; " +
        $"ELSE EXECUTE {D.Literal(statement)}; END IF; END $swap$";

    /// <summary>" WITH GRANT OPTION" when the grant at <paramref name="index"/> was grantable (absent in swaps journaled before it was read).</summary>
    private static string WithGrantOption(string[] grant, int index) => grant.Length > index && grant[index] == "YES" ? " WITH GRANT OPTION" : "";

    /// <summary>The unique index on the copy's key, under the name the cut-over turns into the primary key.</summary>
    private string KeyIndexDef(TableSchema original, IEnumerable<string> key, string copy) =>
        $"CREATE UNIQUE INDEX {D.Quote(TempIndexName(PrimaryKeyName(original)))} ON {copy} ({string.Join(", ", key.Select(D.Quote))})";

    /// <summary>
    /// PRIMARY KEY USING INDEX does not work on a partitioned table: its key is added as a
    /// constraint under the temporary name, which the cut-over renames.
    /// </summary>
    private string KeyConstraintDef(TableSchema original, IEnumerable<string> key, string copy) =>
        $"ALTER TABLE {copy} ADD CONSTRAINT {D.Quote(TempIndexName(PrimaryKeyName(original)))} PRIMARY KEY ({string.Join(", ", key.Select(D.Quote))})";

    /// <summary>A unique constraint of a partitioned copy, as a constraint (UNIQUE USING INDEX does not work there either).</summary>
    private string UniqueConstraintDef(IndexSchema index, string copy)
    {
        // The catalog keeps "USING btree (a, b) INCLUDE (c)"; a constraint takes what follows the method.
        var tail = index.Definition is { } def && def.StartsWith("USING btree ", StringComparison.Ordinal)
            ? def["USING btree ".Length..]
            : "(" + string.Join(", ", index.Columns.Select(c => D.Quote(c.Name))) + ")";
        var nullsNotDistinct = tail.Contains(" NULLS NOT DISTINCT", StringComparison.Ordinal);
        tail = tail.Replace(" NULLS NOT DISTINCT", "", StringComparison.Ordinal);
        return $"ALTER TABLE {copy} ADD CONSTRAINT {D.Quote(TempIndexName(index.Name))} UNIQUE{(nullsNotDistinct ? " NULLS NOT DISTINCT" : "")} {tail}";
    }

    private static bool IsUniqueConstraint(IndexSchema index) => index.IsConstraint && index.Unique;

    /// <summary>
    /// True when a column changed to <paramref name="type"/> (<paramref name="sql"/> as the copy
    /// writes it) keeps its collation: a string type, or a native type without a COLLATE of its own
    /// that is not one of PostgreSQL's types without collations (a domain over text keeps it).
    /// </summary>
    internal static bool KeepsCollation(Swap.ColumnType type, string sql)
    {
        if (type.Kind is Swap.ColumnKind.String or Swap.ColumnKind.Text or Swap.ColumnKind.Enum)
            return true;
        if (type.Kind != Swap.ColumnKind.Native)
            return false;
        var native = sql.Trim().ToLowerInvariant();
        if (System.Text.RegularExpressions.Regex.IsMatch(native, @"\bcollate\b", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)))
            return false;
        string[] plain = ["smallint", "integer", "int", "int2", "int4", "int8", "bigint", "numeric", "decimal", "real", "double precision", "float", "float4", "float8", "boolean", "bool", "date", "time", "timetz", "timestamp", "timestamptz", "interval", "uuid", "bytea", "json", "jsonb", "bit", "varbit", "bit varying", "money", "inet", "cidr", "macaddr", "macaddr8", "oid", "tsvector", "tsquery", "point", "box", "xml", "smallserial", "serial", "bigserial"];
        return !plain.Any(p => native == p || native.StartsWith(p + "(", StringComparison.Ordinal) || native.StartsWith(p + " ", StringComparison.Ordinal) || native.StartsWith(p + "[", StringComparison.Ordinal));
    }

    private string ColumnDef(string name, string type, ColumnSchema? original, bool nullable, string? defaultSql, string? generated)
    {
        var parts = new List<string> { D.Quote(name), type };
        if (original?.Collation is not null)
            parts.Add("COLLATE " + CollationSql(original));
        if (generated is not null)
            parts.Add($"GENERATED ALWAYS AS ({generated}) STORED");
        else if (original?.Extra.GetValueOrDefault("identity") is { } identity)
            parts.Add($"GENERATED {identity} AS IDENTITY" + (original.Extra.GetValueOrDefault("identity_options") is { } options ? $" ({options})" : ""));
        else if (defaultSql is not null)
            parts.Add("DEFAULT " + defaultSql);
        if (!nullable)
            parts.Add("NOT NULL");
        return string.Join(' ', parts);
    }

    /// <summary>
    /// A column's collation as SQL: with its schema when the catalog gave one (any schema but
    /// pg_catalog; schemas journaled before it was recorded have none).
    /// </summary>
    private string CollationSql(ColumnSchema column) =>
        (column.Extra.GetValueOrDefault("collation_schema") is { } schema ? D.Quote(schema) + "." : "") + D.Quote(column.Collation!);

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

    internal static string PrimaryKeyName(TableSchema original) => original.PrimaryKeyName ?? PostgresDialect.DefaultName(original.Name, null, "pkey");

    /// <summary>The copy's name for an index while the copy is built.</summary>
    internal static string TempIndexName(string name) => SwapNames.For(name, 63).Copy;

    /// <summary>The name an original index takes when its table is renamed away.</summary>
    internal static string OldIndexName(string name) => SwapNames.For(name, 63).Old;

    private const string AutovacuumOff = "autovacuum_enabled = false";

    /// <summary>The options of the original's TOAST table, as options of the copy (<c>toast.autovacuum_enabled=false</c>).</summary>
    private static IEnumerable<string> ToastOptions(TableSchema original) =>
        (original.Extra.GetValueOrDefault("toast_options") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(o => "toast." + o);

    /// <summary>The original's storage options (<c>fillfactor=90</c>...) without autovacuum_enabled.</summary>
    private static IEnumerable<string> OwnOptions(TableSchema original) => OwnOptions(original.Extra.GetValueOrDefault("options"));

    private static IEnumerable<string> OwnOptions(string? options) =>
        (options ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(o => !o.StartsWith("autovacuum_enabled=", StringComparison.OrdinalIgnoreCase));

    /// <summary>The original's autovacuum_enabled option (<c>autovacuum_enabled=false</c>), or null when it has none.</summary>
    private static string? OwnAutovacuum(TableSchema original) => OwnAutovacuum(original.Extra.GetValueOrDefault("options"));

    /// <summary>The autovacuum_enabled option of storage options as the catalog lists them, or null.</summary>
    private static string? OwnAutovacuum(string? options) =>
        (options ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(o => o.StartsWith("autovacuum_enabled=", StringComparison.OrdinalIgnoreCase));

    /// <summary>The start of <paramref name="name"/> PostgreSQL keeps: 63 bytes, never splitting a character.</summary>
    private static string Truncate(string name) => Swap.Dialects.Identifiers.Prefix(name, 63);

    /// <summary>An exclusion constraint's index: a constraint's, but not unique.</summary>
    internal static bool IsExclusion(IndexSchema index) => index.IsConstraint && !index.Unique;

    /// <summary>Row-level security policies: name, PERMISSIVE|RESTRICTIVE, command, roles, USING, WITH CHECK.</summary>
    private static List<string[]> Policies(TableSchema original) =>
        JsonSerializer.Deserialize<List<string[]>>(original.Extra.GetValueOrDefault("policies") ?? "[]") ?? [];

    /// <summary>
    /// A CHECK added NOT VALID: old rows may break it, so the copy (which would check every copied
    /// row) takes it only at the cut-over, NOT VALID again (<see cref="NotValidChecks"/>).
    /// </summary>
    private static bool IsNotValid(string[] constraint) => constraint[1].EndsWith(" NOT VALID", StringComparison.Ordinal);

    /// <summary>The columns a constraint names (read since NOT VALID checks were carried; empty before).</summary>
    private static List<string> ConstraintColumns(string[] constraint) =>
        constraint.Length > 2 ? JsonSerializer.Deserialize<List<string>>(constraint[2]) ?? [] : [];

    private static List<string[]> Constraints(TableSchema original) =>
        JsonSerializer.Deserialize<List<string[]>>(original.Extra.GetValueOrDefault("constraints") ?? "[]") ?? [];
}
