using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.PostgreSql;

internal sealed partial class PostgresTableEngine
{
    public override async Task CutOverAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<SwapSpec> specs, OnlineSwapOptions options, Func<DbConnection, DbTransaction?, CancellationToken, Task> catchUp, Func<DbTransaction?, Task> recordSwapped, CancellationToken cancellationToken)
    {
        await using var tx = await Database.BeginTransactionAsync(connection, cancellationToken);
        var ms = PostgresDatabase.LockTimeoutMs(options.CutOverLockTimeout);
        await connection.ExecuteAsync($"SET LOCAL lock_timeout = '{ms.ToString(CultureInfo.InvariantCulture)}ms'", null, tx, cancellationToken);

        var live = new List<(SwapSpec Spec, TableSchema Now)>();
        foreach (var spec in specs)
        {
            var now = await LoadTableAsync(connection, tx, spec.Original.Name, cancellationToken)
                ?? throw new SwapException(SwapErrorKind.Failure, $"Table '{spec.Original.Name}' disappeared before the cut-over.");
            live.Add((spec, now));
        }
        var tables = specs.SelectMany(s => new[] { Q(s.Original.Name), Q(s.Names.Copy) });
        await connection.ExecuteAsync($"LOCK TABLE {string.Join(", ", tables)} IN ACCESS EXCLUSIVE MODE", null, tx, cancellationToken);
        var children = live.SelectMany(l => l.Now.ReferencedBy).Select(f => Q(f.Schema, f.Table)).Distinct().Where(c => !tables.Contains(c)).ToList();
        if (children.Count > 0)
            await connection.ExecuteAsync($"LOCK TABLE {string.Join(", ", children)} IN SHARE ROW EXCLUSIVE MODE", null, tx, cancellationToken);
        // Nobody can write the originals now: apply the rest of the change log in this transaction.
        await catchUp(connection, tx, cancellationToken);

        foreach (var (spec, now) in live)
        {
            var views = await connection.QueryAsync(
                """
                SELECT DISTINCT v.relname AS name, n.nspname AS schema, pg_get_viewdef(v.oid) AS def, coalesce(array_to_string(v.reloptions, ', '), '') AS options
                FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace n ON n.oid = v.relnamespace
                WHERE d.refobjid = @oid AND d.classid = 'pg_rewrite'::regclass AND v.oid <> @oid AND v.relkind = 'v'
                """,
                new { oid = long.Parse(now.Extra["oid"], CultureInfo.InvariantCulture) },
                tx,
                cancellationToken);
            CheckPartitionsUnchanged(spec, now);
            // Each list in one round trip: the application's writes wait on the lock meanwhile.
            await connection.ExecuteAllAsync(Renames(spec, now), tx, cancellationToken);
            await MovePartitionIndexNamesAsync(connection, tx, spec, cancellationToken);
            await MoveSequencesAsync(connection, tx, spec, now, cancellationToken);
            await connection.ExecuteAllAsync([.. Rebind(spec, now, views.Select(v => (OtherSchema(v.String("schema")), v.String("name")!, v.String("options")!, v.String("def")!))), .. Republish(spec, now)], tx, cancellationToken);
        }
        await recordSwapped(tx);
        await tx.CommitAsync(cancellationToken);
    }

    public override IReadOnlyList<string> CutOverPlan(IReadOnlyList<SwapSpec> specs, OnlineSwapOptions options)
    {
        var sql = new List<string>
        {
            "BEGIN",
            $"SET LOCAL lock_timeout = '{PostgresDatabase.LockTimeoutMs(options.CutOverLockTimeout).ToString(CultureInfo.InvariantCulture)}ms'",
            $"LOCK TABLE {string.Join(", ", specs.SelectMany(s => new[] { Q(s.Original.Name), Q(s.Names.Copy) }))} IN ACCESS EXCLUSIVE MODE",
            "-- apply the rest of the change log (batches of: read log, delete keys from the copy, insert current rows, delete the log rows)",
        };
        foreach (var spec in specs)
        {
            sql.AddRange(Renames(spec, spec.Original));
            if (SwapsPartitions(spec))
                sql.Add("-- the new partitions' indexes take the names of the old partitions' indexes (renamed away first)");
            sql.Add("-- move serial sequences to the new table, carry identity values over");
            sql.AddRange(Republish(spec, spec.Original));
            sql.AddRange(Rebind(spec, spec.Original, JsonSerializer.Deserialize<List<string[]>>(spec.Original.Extra.GetValueOrDefault("views") ?? "[]")!.Where(v => v[1] == "v").Select(v => (ViewSchema(v), v[0], "", "<its current definition>"))));
        }
        sql.Add("COMMIT");
        return sql;
    }

    /// <summary>
    /// The swapped table takes the original's place in each publication that lists it by name, with
    /// its column list and row filter (the old table, renamed away, leaves it): a publication keeps
    /// its tables by identity, not by name, so without this logical replication of the table stops.
    /// </summary>
    private IEnumerable<string> Republish(SwapSpec spec, TableSchema now)
    {
        var old = spec.Revert ? spec.Names.Copy : spec.Names.Old;
        foreach (var publication in Publications(now))
        {
            var columns = publication[2].Length == 0 ? "" : " (" + string.Join(", ", JsonSerializer.Deserialize<List<string>>(publication[2])!.Select(D.Quote)) + ")";
            var filter = publication[3].Length == 0 ? "" : $" WHERE ({publication[3]})";
            yield return $"ALTER PUBLICATION {D.Quote(publication[0])} DROP TABLE {Q(old)}";
            yield return $"ALTER PUBLICATION {D.Quote(publication[0])} ADD TABLE {Q(spec.Original.Name)}{columns}{filter}";
        }
    }

    /// <summary>
    /// Frees the original's names (constraints, indexes, triggers, referencing keys) and swaps the table names.
    /// A revert (<see cref="SwapSpec.Revert"/>) moves the table's index names to the copy names
    /// (it goes back to <c>_t_swap_new</c>) and gives the former original's keys and indexes, renamed
    /// away by the forward cut-over, their names back.
    /// </summary>
    private List<string> Renames(SwapSpec spec, TableSchema now)
    {
        var orig = Q(spec.Original.Name);
        Func<string, string> away = spec.Revert ? TempIndexName : OldIndexName;
        var sql = new List<string>();
        foreach (var fk in now.ReferencedBy)
            sql.Add($"ALTER TABLE {Q(fk.Schema, fk.Table)} DROP CONSTRAINT {D.Quote(fk.Name)}");
        foreach (var trigger in now.Triggers.Where(t => !SwapNames.IsSwapName(t.Name)))
            sql.Add($"DROP TRIGGER {D.Quote(trigger.Name)} ON {orig}");
        if (now.PrimaryKey.Count > 0)
            sql.Add($"ALTER TABLE {orig} RENAME CONSTRAINT {D.Quote(PrimaryKeyName(now))} TO {D.Quote(away(PrimaryKeyName(now)))}");
        foreach (var index in now.Indexes)
        {
            sql.Add(index.IsConstraint
                ? $"ALTER TABLE {orig} RENAME CONSTRAINT {D.Quote(index.Name)} TO {D.Quote(away(index.Name))}"
                : $"ALTER INDEX {Q(index.Name)} RENAME TO {D.Quote(away(index.Name))}");
        }
        sql.Add($"ALTER TABLE {orig} RENAME TO {D.Quote(spec.Names.Old)}");
        sql.Add($"ALTER TABLE {Q(spec.Names.Copy)} RENAME TO {D.Quote(spec.Original.Name)}");
        if (spec.Revert)
        {
            // The former original still has its key and unique constraints, under their old-table names.
            if (spec.Copy.PrimaryKeyName is { } key)
                sql.Add($"ALTER TABLE {orig} RENAME CONSTRAINT {D.Quote(key)} TO {D.Quote(now.PrimaryKey.Count > 0 ? PrimaryKeyName(now) : PostgresDialect.DefaultName(spec.Original.Name, null, "pkey"))}");
            foreach (var index in spec.TargetIndexes.Where(i => spec.Copy.Indexes.Any(c => c.Name == OldIndexName(i.Name))))
            {
                sql.Add(index.IsConstraint
                    ? $"ALTER TABLE {orig} RENAME CONSTRAINT {D.Quote(OldIndexName(index.Name))} TO {D.Quote(index.Name)}"
                    : $"ALTER INDEX {Q(OldIndexName(index.Name))} RENAME TO {D.Quote(index.Name)}");
            }
            return sql;
        }
        if (spec.TargetPrimaryKey.Count > 0)
        {
            sql.Add(IsPartitioned(spec.Copy)
                ? $"ALTER TABLE {orig} RENAME CONSTRAINT {D.Quote(TempIndexName(PrimaryKeyName(now)))} TO {D.Quote(PrimaryKeyName(now))}"
                : $"ALTER TABLE {orig} ADD CONSTRAINT {D.Quote(PrimaryKeyName(now))} PRIMARY KEY USING INDEX {D.Quote(TempIndexName(PrimaryKeyName(now)))}{Deferrable(now, PrimaryKeyName(now))}");
        }
        foreach (var index in spec.TargetIndexes)
        {
            sql.Add(IsExclusion(index)
                ? $"ALTER TABLE {orig} RENAME CONSTRAINT {D.Quote(TempIndexName(index.Name))} TO {D.Quote(index.Name)}"
                : IsUniqueConstraint(index) && IsPartitioned(spec.Copy)
                ? $"ALTER TABLE {orig} RENAME CONSTRAINT {D.Quote(TempIndexName(index.Name))} TO {D.Quote(index.Name)}"
                : IsUniqueConstraint(index)
                ? $"ALTER TABLE {orig} ADD CONSTRAINT {D.Quote(index.Name)} UNIQUE USING INDEX {D.Quote(TempIndexName(index.Name))}{Deferrable(now, index.Name)}"
                : $"ALTER INDEX {Q(TempIndexName(index.Name))} RENAME TO {D.Quote(index.Name)}");
        }
        sql.AddRange(PartitionRenames(spec));
        return sql;
    }

    /// <summary>" DEFERRABLE [INITIALLY DEFERRED]" for a key or unique constraint the table has so, else empty.</summary>
    private static string Deferrable(TableSchema now, string constraint) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(now.Extra.GetValueOrDefault("deferrable") ?? "{}")?.GetValueOrDefault(constraint) is { } clause ? " " + clause : "";

    /// <summary>Puts back what binds by identity: the user's triggers, dependent views, and foreign keys both ways (NOT VALID, validated after).</summary>
    private List<string> Rebind(SwapSpec spec, TableSchema now, IEnumerable<(string? Schema, string Name, string Options, string Definition)> views)
    {
        var orig = Q(spec.Original.Name);
        var sql = new List<string>();
        sql.AddRange(now.Triggers.Where(t => !SwapNames.IsSwapName(t.Name)).Select(t => t.Definition));
        foreach (var (trigger, state) in JsonSerializer.Deserialize<Dictionary<string, string>>(now.Extra.GetValueOrDefault("trigger_states") ?? "{}") ?? [])
        {
            var enable = state switch { "D" => "DISABLE", "R" => "ENABLE REPLICA", "A" => "ENABLE ALWAYS", _ => null };
            if (enable is not null && !SwapNames.IsSwapName(trigger))
                sql.Add($"ALTER TABLE {orig} {enable} TRIGGER {D.Quote(trigger)}");
        }
        // A trigger's comment went with the trigger that was dropped.
        foreach (var (trigger, comment) in JsonSerializer.Deserialize<Dictionary<string, string>>(now.Extra.GetValueOrDefault("trigger_comments") ?? "{}") ?? [])
        {
            if (!SwapNames.IsSwapName(trigger))
                sql.Add($"COMMENT ON TRIGGER {D.Quote(trigger)} ON {orig} IS {D.Literal(comment)}");
        }
        sql.AddRange(NotValidChecks(spec, now));
        // An index's comment stays with the index of the same name (the copy's indexes take the names at the rename).
        foreach (var (index, comment) in JsonSerializer.Deserialize<Dictionary<string, string>>(now.Extra.GetValueOrDefault("index_comments") ?? "{}") ?? [])
        {
            if (spec.TargetIndexes.Any(i => i.Name == index) || (spec.TargetPrimaryKey.Count > 0 && PrimaryKeyName(now) == index))
                sql.Add($"COMMENT ON INDEX {Q(index)} IS {D.Literal(comment)}");
        }
        // An expression column's statistics target stays with the index of the same name, where the swap kept its definition.
        foreach (var (index, stats) in JsonSerializer.Deserialize<Dictionary<string, string>>(now.Extra.GetValueOrDefault("index_statistics") ?? "{}") ?? [])
        {
            if (!spec.TargetIndexes.Any(i => i.Name == index && i.Definition is not null && i.Definition == now.Indexes.FirstOrDefault(o => o.Name == index)?.Definition))
                continue;
            foreach (var pair in JsonSerializer.Deserialize<List<int[]>>(stats) ?? [])
                sql.Add($"ALTER INDEX {Q(index)} ALTER COLUMN {pair[0].ToString(CultureInfo.InvariantCulture)} SET STATISTICS {pair[1].ToString(CultureInfo.InvariantCulture)}");
        }
        // Logical decoding (CDC) reads the replica identity: FULL, NOTHING, or an index the swap kept.
        if (now.Extra.GetValueOrDefault("replica_identity") is { Length: > 0 } identity
            && (!identity.StartsWith("USING INDEX ", StringComparison.Ordinal)
                || spec.TargetIndexes.Any(i => D.Quote(i.Name) == identity["USING INDEX ".Length..])
                || (spec.TargetPrimaryKey.Count > 0 && D.Quote(PrimaryKeyName(now)) == identity["USING INDEX ".Length..])))
            sql.Add($"ALTER TABLE {orig} REPLICA IDENTITY {identity}");
        // With the view's own options (check_option, security_barrier, security_invoker), which a plain replace would reset.
        foreach (var (schema, name, options, definition) in views)
            sql.Add($"CREATE OR REPLACE VIEW {Q(schema, name)}{(options.Length > 0 ? $" WITH ({options})" : "")} AS {definition.TrimEnd().TrimEnd(';')}");
        foreach (var fk in spec.TargetForeignKeys)
            sql.Add($"ALTER TABLE {orig} ADD CONSTRAINT {D.Quote(fk.Name)} {ForeignKeyDef(fk)} NOT VALID");
        foreach (var fk in now.ReferencedBy)
        {
            var def = fk.Definition!.EndsWith(" NOT VALID", StringComparison.Ordinal) ? fk.Definition : fk.Definition + " NOT VALID";
            sql.Add($"ALTER TABLE {Q(fk.Schema, fk.Table)} ADD CONSTRAINT {D.Quote(fk.Name)} {def}");
        }
        // ... with the comment it had, which went with the key that was dropped.
        foreach (var key in JsonSerializer.Deserialize<List<string[]>>(now.Extra.GetValueOrDefault("referenced_by_comments") ?? "[]") ?? [])
            sql.Add($"COMMENT ON CONSTRAINT {D.Quote(key[1])} ON {Q(key.Length > 3 ? OtherSchema(key[3]) : null, key[0])} IS {D.Literal(key[2])}");
        // A constraint's comment stays with the new table's constraint of the same name, if the swap kept one.
        foreach (var (constraint, comment) in JsonSerializer.Deserialize<Dictionary<string, string>>(now.Extra.GetValueOrDefault("constraint_comments") ?? "{}") ?? [])
        {
            var statement = $"COMMENT ON CONSTRAINT {D.Quote(constraint)} ON {orig} IS {D.Literal(comment)}";
            sql.Add($"DO $swap$ BEGIN IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = {D.Literal(orig)}::regclass AND conname = {D.Literal(constraint)}) THEN " +
                $"EXECUTE {D.Literal(statement)}; END IF; END $swap$");
        }
        return sql;
    }

    /// <summary>
    /// The table's NOT VALID CHECKs, which the copy did not have while it was filled (old rows may
    /// break them): added NOT VALID again, a catalog change only. The definition names the
    /// original's columns, so a column the swap renamed takes its old name for that statement (the
    /// catalog keeps the expression by column number), and a column that took such an old name in
    /// the swap (renamed, or added) steps aside meanwhile under a work name; a CHECK over a dropped
    /// column goes, as with DROP COLUMN.
    /// </summary>
    private IEnumerable<string> NotValidChecks(SwapSpec spec, TableSchema now)
    {
        var table = Q(spec.Original.Name);
        foreach (var check in Constraints(now).Where(IsNotValid))
        {
            var columns = ConstraintColumns(check)
                .Select(c => (Old: c, New: spec.Mapping.FirstOrDefault(m => m.Origin == c)?.CopyColumn ?? spec.Copy.Columns.FirstOrDefault(k => k.Name == c)?.Name))
                .ToList();
            if (columns.Any(c => c.New is null))
                continue;
            var renamed = columns.Where(c => c.New != c.Old).Distinct().Select(c => (c.Old, New: c.New!)).ToList();
            // Every column renamed here, and every other column now holding one of their old names,
            // moves to a work name first, so no rename meets a name in use.
            var moved = renamed.Select(c => c.New)
                .Concat(spec.Copy.Columns.Select(c => c.Name).Where(n => renamed.Any(c => c.Old == n)))
                .Distinct()
                .Select((name, i) => (Name: name, Work: $"_swap_check_{i}"))
                .ToList();
            string WorkName(string name) => moved.First(m => m.Name == name).Work;
            foreach (var (name, work) in moved)
                yield return $"ALTER TABLE {table} RENAME COLUMN {D.Quote(name)} TO {D.Quote(work)}";
            foreach (var (old, @new) in renamed)
                yield return $"ALTER TABLE {table} RENAME COLUMN {D.Quote(WorkName(@new))} TO {D.Quote(old)}";
            yield return $"ALTER TABLE {table} ADD CONSTRAINT {D.Quote(check[0])} {check[1]}";
            foreach (var (old, @new) in renamed)
                yield return $"ALTER TABLE {table} RENAME COLUMN {D.Quote(old)} TO {D.Quote(WorkName(@new))}";
            foreach (var (name, work) in moved)
                yield return $"ALTER TABLE {table} RENAME COLUMN {D.Quote(work)} TO {D.Quote(name)}";
        }
    }

    private string ForeignKeyDef(ForeignKeySchema fk)
    {
        var def = $"FOREIGN KEY ({string.Join(", ", fk.Columns.Select(D.Quote))}) REFERENCES {Q(fk.ReferencedSchema, fk.ReferencedTable)} ({string.Join(", ", fk.ReferencedColumns.Select(D.Quote))})";
        // MATCH FULL (pg_get_constraintdef prints it after the columns); MATCH SIMPLE is the default.
        if (fk.Definition is { } defined && defined.Contains(") MATCH FULL", StringComparison.Ordinal))
            def += " MATCH FULL";
        if (fk.OnDelete is { } del)
            def += " ON DELETE " + del;
        if (fk.OnUpdate is { } upd)
            def += " ON UPDATE " + upd;
        // A key the table had keeps its DEFERRABLE (pg_get_constraintdef prints it after the actions).
        if (fk.Definition is { } original && original.Contains(" DEFERRABLE", StringComparison.Ordinal))
            def += original.Contains(" INITIALLY DEFERRED", StringComparison.Ordinal) ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE";
        return def;
    }

    /// <summary>
    /// Serial sequences are shared by both tables: the new table must own them, or dropping the
    /// old table would drop them. Identity columns have their own sequence per table: the new
    /// one continues where the old one stopped, and takes its name.
    /// </summary>
    private async Task MoveSequencesAsync(DbConnection connection, DbTransaction tx, SwapSpec spec, TableSchema now, CancellationToken cancellationToken)
    {
        var sequences = JsonSerializer.Deserialize<List<string[]>>(now.Extra.GetValueOrDefault("sequences") ?? "[]") ?? [];
        foreach (var seq in sequences)
        {
            var (name, column, kind) = (seq[0], seq[1], seq[2]);
            // By origin, not by expression: a column whose type the swap changes is filled by a cast.
            var newColumn = spec.Mapping.FirstOrDefault(m => m.Origin == column)?.CopyColumn;
            if (kind == "a")
            {
                if (newColumn is not null)
                    await connection.ExecuteAsync($"ALTER SEQUENCE {Q(name)} OWNED BY {Q(spec.Original.Name)}.{D.Quote(newColumn)}", null, tx, cancellationToken);
                continue;
            }
            if (newColumn is null)
                continue;
            // A revert sends the table's sequence away under the copy's name: the former original's own
            // sequence holds the old-table name.
            var oldName = spec.Revert ? TempIndexName(name) : OldIndexName(name);
            await connection.ExecuteAsync($"ALTER SEQUENCE {Q(name)} RENAME TO {D.Quote(oldName)}", null, tx, cancellationToken);
            var fresh = await connection.ScalarAsync("SELECT pg_get_serial_sequence(@table, @column)", new { table = Q(spec.Original.Name), column = newColumn }, tx, cancellationToken) as string;
            if (fresh is null)
                continue;
            // The new sequence goes on where the old one stopped (beyond the table's highest value, or
            // below its lowest for a descending one); one that never handed out a value still starts
            // at its start.
            var quoted = D.Quote(newColumn);
            await connection.ExecuteAsync(
                $"SELECT setval(@seq, x.v, x.v <> o.last_value OR o.is_called) FROM {Q(oldName)} o, " +
                $"LATERAL (SELECT CASE WHEN s.seqincrement > 0 THEN GREATEST(o.last_value, (SELECT max({quoted}) FROM {Q(spec.Original.Name)})) " +
                $"ELSE LEAST(o.last_value, (SELECT min({quoted}) FROM {Q(spec.Original.Name)})) END AS v " +
                $"FROM pg_sequence s WHERE s.seqrelid = {D.Literal(Q(oldName))}::regclass) x",
                new { seq = fresh },
                tx,
                cancellationToken);
            // The new sequence is made by the copy's identity column: give it the grants (a role that
            // reads currval() or calls nextval() itself needs them) and the comment of the old one.
            await connection.ExecuteAsync(
                $"DO $swap$ DECLARE g record; BEGIN " +
                $"FOR g IN SELECT CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.grantee)) END AS grantee, x.privilege_type, x.is_grantable " +
                $"FROM pg_class c, aclexplode(c.relacl) x WHERE c.oid = {D.Literal(Q(oldName))}::regclass AND x.grantee <> c.relowner LOOP " +
                $"EXECUTE format('GRANT %s ON SEQUENCE %s TO %s%s', g.privilege_type, {D.Literal(fresh)}, g.grantee, CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END); END LOOP; " +
                $"IF obj_description({D.Literal(Q(oldName))}::regclass, 'pg_class') IS NOT NULL THEN " +
                $"EXECUTE format('COMMENT ON SEQUENCE %s IS %L', {D.Literal(fresh)}, obj_description({D.Literal(Q(oldName))}::regclass, 'pg_class')); END IF; END $swap$",
                null,
                tx,
                cancellationToken);
            await connection.ExecuteAsync($"ALTER SEQUENCE {fresh} RENAME TO {D.Quote(name)}", null, tx, cancellationToken);
        }
    }

    public override IReadOnlyList<string> AfterCutOver(SwapSpec spec)
    {
        // A key that was NOT VALID on the original (rows older than it may break it) stays so.
        static bool WasValid(ForeignKeySchema f) => f.Definition is null || !f.Definition.EndsWith(" NOT VALID", StringComparison.Ordinal);
        var validations = spec.TargetForeignKeys.Where(WasValid).Select(f => (Table: spec.Original.Name, f.Name, Schema: (string?)null))
            .Concat(spec.Original.ReferencedBy.Where(WasValid).Select(f => (f.Table, f.Name, f.Schema)));
        var table = Q(spec.Original.Name);
        // The copy was made with autovacuum off (see CreateCopy): give the table (or each partition
        // of a partitioned one) the original's setting back, and statistics.
        var storage = IsPartitioned(spec.Copy) ? FinalPartitions(spec) : [(spec.Original.Name, OwnAutovacuum(spec.Original))];
        string[] autovacuum =
        [
            .. storage.Select(t => t.Autovacuum is { } own ? $"ALTER TABLE {Q(t.Name)} SET ({own})" : $"ALTER TABLE {Q(t.Name)} RESET (autovacuum_enabled)"),
            $"ANALYZE {table}",
        ];
        return validations.Select(v =>
            $"DO $swap$ BEGIN IF EXISTS (SELECT 1 FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace " +
            $"WHERE n.nspname = {D.Literal(v.Schema ?? database.Schema)} AND t.relname = {D.Literal(v.Table)} AND c.conname = {D.Literal(v.Name)} AND NOT c.convalidated) THEN " +
            $"EXECUTE {D.Literal($"ALTER TABLE {Q(v.Schema, v.Table)} VALIDATE CONSTRAINT {D.Quote(v.Name)}")}; END IF; END $swap$").Concat(autovacuum).ToList();
    }
}
