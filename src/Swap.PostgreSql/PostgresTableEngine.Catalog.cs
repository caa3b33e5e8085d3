using System.Data.Common;
using System.Text.Json;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;
using Swap.PostgreSql.Internal;

namespace Swap.PostgreSql;

internal sealed partial class PostgresTableEngine
{
    /// <summary>
    /// The table's definition as catalog rows: the table's own settings (kind, persistence, replica
    /// identity, row security, grants, options) and the row versions (<c>xmin</c>) of its columns,
    /// defaults, indexes, constraints, the user's triggers, comments, policies and rules, which any
    /// DDL on them replaces, and the indexes' names (ALTER INDEX ... RENAME changes only pg_class,
    /// and the cut-over would give the copy's index the old name back); foreign keys by name and definition instead, since the cut-over of a
    /// table they point at re-adds them unchanged. Swap's capture triggers (named with <c>_swap_</c>) are left out.
    /// </summary>
    public override IReadOnlyList<string> DefinitionQueries(string table)
    {
        return
        [
            $"""
            WITH t AS (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = {D.Literal(database.Schema)} AND c.relname = @t)
            SELECT d.part FROM (
              SELECT 'table ' || c.relkind::text || c.relpersistence::text || c.relreplident::text || c.relrowsecurity::text || c.relforcerowsecurity::text || ' ' || coalesce(c.relacl::text, '') || ' ' || coalesce(array_to_string(c.reloptions, ','), '') AS part FROM pg_class c JOIN t ON c.oid = t.oid
              UNION ALL SELECT 'column ' || a.attnum || ' ' || a.xmin::text FROM pg_attribute a JOIN t ON a.attrelid = t.oid WHERE a.attnum > 0
              UNION ALL SELECT 'default ' || f.adnum || ' ' || f.xmin::text FROM pg_attrdef f JOIN t ON f.adrelid = t.oid
              UNION ALL SELECT 'index ' || i.indexrelid || ' ' || i.xmin::text || ' ' || ic.relname FROM pg_index i JOIN t ON i.indrelid = t.oid JOIN pg_class ic ON ic.oid = i.indexrelid
              UNION ALL SELECT 'constraint ' || CASE WHEN k.contype = 'f' THEN k.conname || ' ' || pg_get_constraintdef(k.oid) ELSE k.oid || ' ' || k.xmin::text END FROM pg_constraint k JOIN t ON k.conrelid = t.oid
              UNION ALL SELECT 'trigger ' || g.oid || ' ' || g.xmin::text FROM pg_trigger g JOIN t ON g.tgrelid = t.oid WHERE NOT g.tgisinternal AND position('{SwapNames.Marker}' in g.tgname) = 0
              UNION ALL SELECT 'comment ' || e.objsubid || ' ' || e.xmin::text FROM pg_description e JOIN t ON e.objoid = t.oid WHERE e.classoid = 'pg_class'::regclass
              UNION ALL SELECT 'policy ' || p.oid || ' ' || p.xmin::text FROM pg_policy p JOIN t ON p.polrelid = t.oid
              UNION ALL SELECT 'rule ' || r.oid || ' ' || r.xmin::text FROM pg_rewrite r JOIN t ON r.ev_class = t.oid WHERE r.rulename <> '_RETURN'
            ) d ORDER BY d.part
            """,
        ];
    }

    /// <summary>Reads a table from pg_catalog: columns, keys, indexes, constraints, triggers, sequences, grants.</summary>
    public override async Task<TableSchema?> LoadTableAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken)
    {
        var schema = database.Schema;
        var head = await connection.QueryAsync(
            """
            SELECT c.oid::bigint AS oid, c.reltuples::bigint AS rows, pg_table_size(c.oid) AS bytes, c.relkind::text AS kind, c.relpersistence::text AS persistence,
                   c.relrowsecurity AS rls, c.relforcerowsecurity AS force_rls, pg_get_userbyid(c.relowner) AS owner, obj_description(c.oid, 'pg_class') AS comment,
                   array_to_string(c.reloptions, ', ') AS options,
                   (SELECT array_to_string(tc.reloptions, ', ') FROM pg_class tc WHERE tc.oid = c.reltoastrelid) AS toast_options,
                   c.relreplident::text AS replident,
                   (SELECT ic.relname FROM pg_index ix JOIN pg_class ic ON ic.oid = ix.indexrelid WHERE ix.indrelid = c.oid AND ix.indisreplident) AS replident_index,
                   EXISTS (SELECT 1 FROM pg_inherits i WHERE (i.inhparent = c.oid AND c.relkind <> 'p') OR (i.inhrelid = c.oid AND NOT c.relispartition)) AS inherits,
                   CASE WHEN c.relispartition THEN (SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = c.oid) END AS partition_of,
                   CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
                   CASE WHEN c.relkind = 'p' THEN (SELECT json_agg(COALESCE(a.attname, '') ORDER BY k.ord) FROM pg_partitioned_table pt CROSS JOIN LATERAL unnest(pt.partattrs) WITH ORDINALITY k(attnum, ord)
                      LEFT JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = k.attnum WHERE pt.partrelid = c.oid)::text END AS partition_columns
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = @schema AND c.relname = @name AND c.relkind IN ('r', 'p')
            """,
            new { schema, name = table },
            transaction,
            cancellationToken);
        if (head.Count == 0)
            return null;
        var h = head[0];
        var oid = h.Int64("oid")!.Value;

        var columns = (await connection.QueryAsync(
            """
            SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
                   pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity::text AS identity, a.attgenerated::text AS generated,
                   CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation,
                   CASE WHEN a.attcollation <> t.typcollation AND con.nspname <> 'pg_catalog' THEN con.nspname END AS collation_schema,
                   col_description(a.attrelid, a.attnum) AS comment, a.attstattarget::int AS stats,
                   -- the planner's n_distinct overrides (ALTER COLUMN ... SET (n_distinct = ...))
                   (SELECT string_agg(o, ', ') FROM unnest(a.attoptions) o WHERE o LIKE 'n\_distinct%=%') AS attoptions,
                   CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END AS storage,
                   -- COMPRESSION set on the column ('\0' when it follows default_toast_compression; PostgreSQL 14+)
                   CASE WHEN a.attcompression <> '' THEN a.attcompression::text END AS compression,
                   -- an identity's own sequence options; bounds only when not the type's defaults, so a
                   -- copy that widens the column (int to bigint) gets the wider type's range
                   (SELECT concat_ws(' ', 'START WITH ' || s.seqstart, 'INCREMENT BY ' || s.seqincrement,
                               CASE WHEN s.seqmin <> CASE WHEN s.seqincrement > 0 THEN 1
                                                          WHEN s.seqtypid = 'int2'::regtype THEN -32768
                                                          WHEN s.seqtypid = 'int4'::regtype THEN -2147483648
                                                          ELSE -9223372036854775808 END THEN 'MINVALUE ' || s.seqmin END,
                               CASE WHEN s.seqmax <> CASE WHEN s.seqincrement < 0 THEN -1
                                                          WHEN s.seqtypid = 'int2'::regtype THEN 32767
                                                          WHEN s.seqtypid = 'int4'::regtype THEN 2147483647
                                                          ELSE 9223372036854775807 END THEN 'MAXVALUE ' || s.seqmax END,
                               'CACHE ' || s.seqcache, CASE WHEN s.seqcycle THEN 'CYCLE' END)
                    FROM pg_depend dep JOIN pg_sequence s ON s.seqrelid = dep.objid
                    WHERE a.attidentity <> '' AND dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
                      AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'i') AS identity_options
            FROM pg_attribute a
            JOIN pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            LEFT JOIN pg_collation co ON co.oid = a.attcollation
            LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
            WHERE a.attrelid = @oid AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """,
            new { oid },
            transaction,
            cancellationToken)).Select(r =>
            {
                var identity = r.String("identity") ?? "";
                var generated = r.String("generated") ?? "";
                var def = r.String("def");
                var extra = new Dictionary<string, string>();
                if (identity.Length > 0)
                    extra["identity"] = identity == "a" ? "ALWAYS" : "BY DEFAULT";
                if (r.String("identity_options") is { Length: > 0 } options)
                    extra["identity_options"] = options;
                // A collation outside pg_catalog is named with its schema: the copy and the change log
                // are created under search_path (the table's schema), where it may be missing or another.
                if (r.String("collation_schema") is { } collationSchema)
                    extra["collation_schema"] = collationSchema;
                if (r.String("storage") is { } storage)
                    extra["storage"] = storage switch { "p" => "PLAIN", "e" => "EXTERNAL", "m" => "MAIN", _ => "EXTENDED" };
                if (r.String("compression") is { } compression)
                    extra["compression"] = compression switch { "l" => "lz4", _ => "pglz" };
                if (r.String("attoptions") is { } attoptions)
                    extra["attoptions"] = attoptions;
                if (r.Int64("stats") is >= 0 and var stats)
                    extra["statistics"] = stats.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return new ColumnSchema(
                    r.String("name")!,
                    r.String("type")!,
                    r.Bool("nullable"),
                    generated.Length > 0 ? null : def,
                    AutoIncrement: identity.Length > 0 || (def?.StartsWith("nextval(", StringComparison.Ordinal) ?? false),
                    Generated: generated.Length > 0 ? def : null,
                    Collation: r.String("collation"),
                    Comment: r.String("comment"))
                { Extra = extra };
            }).ToList();

        var constraints = await connection.QueryAsync(
            """
            SELECT con.conname AS name, con.contype::text AS type, pg_get_constraintdef(con.oid) AS def,
                   (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum)::text AS cols,
                   (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum)::text AS refcols,
                   fc.relname AS reftable, fn.nspname AS refschema,
                   con.confdeltype::text AS ondelete, con.confupdtype::text AS onupdate,
                   obj_description(con.oid, 'pg_constraint') AS comment
            FROM pg_constraint con LEFT JOIN pg_class fc ON fc.oid = con.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
            WHERE con.conrelid = @oid
            ORDER BY con.conname
            """,
            new { oid },
            transaction,
            cancellationToken);

        var indexes = await connection.QueryAsync(
            """
            SELECT ic.relname AS name, ix.indisunique AS uniq, ix.indisprimary AS prim, obj_description(ix.indexrelid, 'pg_class') AS comment,
                   (SELECT json_agg(json_build_array(a.attnum, a.attstattarget) ORDER BY a.attnum) FROM pg_attribute a
                     WHERE a.attrelid = ix.indexrelid AND a.attstattarget >= 0)::text AS stats,
                   CASE WHEN strpos(d.def, ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' USING ') > 0
                        THEN substr(d.def, strpos(d.def, ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' USING ')
                             + length(' ON ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' ')) END AS def,
                   pg_get_expr(ix.indpred, ix.indrelid) AS pred, am.amname AS method,
                   (SELECT con.conname FROM pg_constraint con WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid AND con.contype IN ('p', 'u', 'x')) AS constraint_name,
                   (SELECT CASE WHEN con.condeferred THEN 'DEFERRABLE INITIALLY DEFERRED' ELSE 'DEFERRABLE' END FROM pg_constraint con
                     WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid AND con.contype IN ('p', 'u') AND con.condeferrable) AS deferrable,
                   (SELECT json_agg(COALESCE(a.attname, '') ORDER BY k.ord) FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                      LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum)::text AS cols
            FROM pg_index ix
            JOIN pg_class ic ON ic.oid = ix.indexrelid
            JOIN pg_class c ON c.oid = ix.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_am am ON am.oid = ic.relam
            -- A partitioned table's index is defined ON ONLY the table.
            CROSS JOIN LATERAL (SELECT replace(pg_get_indexdef(ix.indexrelid), ' ON ONLY ', ' ON ') AS def) d
            WHERE ix.indrelid = @oid
            ORDER BY ic.relname
            """,
            new { oid },
            transaction,
            cancellationToken);

        var referencedBy = await connection.QueryAsync(
            """
            SELECT con.conname AS name, c.relname AS child, n.nspname AS child_schema, pg_get_constraintdef(con.oid) AS def, con.convalidated AS valid,
                   obj_description(con.oid, 'pg_constraint') AS comment
            FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE con.confrelid = @oid AND con.contype = 'f' AND con.conrelid <> @oid
            ORDER BY c.relname, con.conname
            """,
            new { oid },
            transaction,
            cancellationToken);

        var triggers = await connection.QueryAsync(
            """
            SELECT t.tgname AS name, pg_get_triggerdef(t.oid) AS def, t.tgenabled::text AS enabled, obj_description(t.oid, 'pg_trigger') AS comment,
                   (SELECT coalesce(json_agg(DISTINCT a.attname), '[]')::text FROM pg_depend d
                    JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                    WHERE d.classid = 'pg_trigger'::regclass AND d.objid = t.oid AND d.refobjid = t.tgrelid AND d.refobjsubid > 0) AS columns,
                   (SELECT p.prosrc FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.oid = t.tgfoid AND l.lanname = 'plpgsql') AS body
            FROM pg_trigger t WHERE t.tgrelid = @oid AND NOT t.tgisinternal ORDER BY t.tgname
            """,
            new { oid },
            transaction,
            cancellationToken);

        var sequences = await connection.QueryAsync(
            """
            SELECT s.relname AS seq, a.attname AS col, d.deptype::text AS kind
            FROM pg_depend d
            JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
            JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
            WHERE d.refobjid = @oid AND d.deptype IN ('a', 'i') AND d.classid = 'pg_class'::regclass
            """,
            new { oid },
            transaction,
            cancellationToken);

        var grants = await connection.QueryAsync(
            """
            SELECT CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END AS grantee,
                   string_agg(x.privilege_type, ', ' ORDER BY x.privilege_type) AS privileges, x.is_grantable AS grantable,
                   pg_get_userbyid(x.grantor) AS grantor
            FROM pg_class c, aclexplode(c.relacl) x
            WHERE c.oid = @oid AND x.grantee <> c.relowner
            GROUP BY x.grantee, x.grantor, x.is_grantable ORDER BY 1, 4, 3
            """,
            new { oid },
            transaction,
            cancellationToken);

        // Publications that list the table by name (FOR ALL TABLES / TABLES IN SCHEMA ones take the new table by themselves).
        var publications = await connection.QueryAsync(
            await HasPublicationFiltersAsync(connection, transaction, cancellationToken)
                ? """
                  SELECT p.pubname AS name, pg_get_userbyid(p.pubowner) AS owner,
                         COALESCE((SELECT json_agg(a.attname ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = pr.prrelid AND a.attnum = ANY (pr.prattrs))::text, '') AS cols,
                         COALESCE(pg_get_expr(pr.prqual, pr.prrelid), '') AS qual
                  FROM pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid WHERE pr.prrelid = @oid ORDER BY p.pubname
                  """
                : "SELECT p.pubname AS name, pg_get_userbyid(p.pubowner) AS owner, '' AS cols, '' AS qual FROM pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid WHERE pr.prrelid = @oid ORDER BY p.pubname",
            new { oid },
            transaction,
            cancellationToken);

        var policies = await connection.QueryAsync(
            """
            SELECT p.polname AS name, CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END AS kind,
                   CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS cmd,
                   CASE WHEN p.polroles = '{0}' THEN 'PUBLIC' ELSE (SELECT string_agg(quote_ident(r.rolname), ', ' ORDER BY r.rolname) FROM pg_roles r WHERE r.oid = ANY (p.polroles)) END AS roles,
                   pg_get_expr(p.polqual, p.polrelid) AS qual, pg_get_expr(p.polwithcheck, p.polrelid) AS with_check
            FROM pg_policy p WHERE p.polrelid = @oid ORDER BY p.polname
            """,
            new { oid },
            transaction,
            cancellationToken);

        var partitions = h.String("kind") == "p"
            ? await connection.QueryAsync(
                """
                SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound, c.relkind::text AS kind, c.relpersistence::text AS persistence,
                       array_to_string(c.reloptions, ', ') AS options
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = @oid ORDER BY c.relname
                """,
                new { oid },
                transaction,
                cancellationToken)
            : [];
        // What a partition has of its own rather than from the partitioned table: a swap recreates only the latter.
        var partitionOwn = h.String("kind") == "p"
            ? await connection.QueryAsync(
                """
                SELECT 'index' AS kind, ic.relname AS name, c.relname AS partition
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_index ix ON ix.indrelid = c.oid JOIN pg_class ic ON ic.oid = ix.indexrelid
                WHERE i.inhparent = @oid AND NOT EXISTS (SELECT 1 FROM pg_inherits ii WHERE ii.inhrelid = ix.indexrelid)
                UNION ALL
                SELECT 'trigger', t.tgname, c.relname
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_trigger t ON t.tgrelid = c.oid
                WHERE i.inhparent = @oid AND NOT t.tgisinternal AND t.tgparentid = 0
                UNION ALL
                SELECT 'constraint', con.conname, c.relname
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_constraint con ON con.conrelid = c.oid
                WHERE i.inhparent = @oid AND con.conislocal AND con.contype IN ('c', 'f', 'x')
                UNION ALL
                SELECT 'policy', p.polname, c.relname
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_policy p ON p.polrelid = c.oid
                WHERE i.inhparent = @oid
                ORDER BY 3, 1, 2
                """,
                new { oid },
                transaction,
                cancellationToken)
            : [];

        var pk = constraints.FirstOrDefault(c => c.String("type") == "p");
        var dependentViews = await connection.QueryAsync(
            """
            SELECT v.relname AS name, v.relkind::text AS kind,
                   coalesce(json_agg(DISTINCT a.attname) FILTER (WHERE a.attname IS NOT NULL), '[]')::text AS columns,
                   n.nspname AS schema
            FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace n ON n.oid = v.relnamespace
            LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid AND d.refobjsubid > 0
            WHERE d.refobjid = @oid AND d.classid = 'pg_rewrite'::regclass AND v.oid <> @oid
            GROUP BY v.relname, v.relkind, n.nspname
            """,
            new { oid },
            transaction,
            cancellationToken);

        // Objects a swap cannot carry to the new table: rules on it, and functions bound to it (a
        // parameter or result of its row type, or a SQL-standard body that reads it), which would
        // keep the old table from being dropped and go on using it.
        var rules = await connection.QueryAsync(
            "SELECT rulename AS name FROM pg_rewrite WHERE ev_class = @oid AND rulename <> '_RETURN' ORDER BY rulename",
            new { oid },
            transaction,
            cancellationToken);
        // Rules of other tables and views that read or write it (not a view's own _RETURN rule, which the cut-over replaces).
        var otherRules = await connection.QueryAsync(
            """
            SELECT DISTINCT r.rulename AS name, v.relname AS owner_table
            FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class
            WHERE d.refobjid = @oid AND d.classid = 'pg_rewrite'::regclass AND v.oid <> @oid AND r.rulename <> '_RETURN'
            ORDER BY 2, 1
            """,
            new { oid },
            transaction,
            cancellationToken);
        // Columns of other tables (and fields of composite types) whose type is its row type, or an array of it.
        var rowTypeUsers = await connection.QueryAsync(
            """
            SELECT c.relname || '.' || a.attname AS name
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = (SELECT reltype FROM pg_class WHERE oid = @oid)
            WHERE a.attrelid <> @oid AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid IN (t.oid, t.typarray)
            ORDER BY 1
            """,
            new { oid },
            transaction,
            cancellationToken);
        var functions = await connection.QueryAsync(
            """
            SELECT DISTINCT p.oid::regprocedure::text AS name
            FROM pg_depend d JOIN pg_proc p ON p.oid = d.objid
            WHERE d.classid = 'pg_proc'::regclass
              AND ((d.refclassid = 'pg_class'::regclass AND d.refobjid = @oid)
                OR (d.refclassid = 'pg_type'::regclass AND d.refobjid = (SELECT reltype FROM pg_class WHERE oid = @oid)))
            ORDER BY 1
            """,
            new { oid },
            transaction,
            cancellationToken);
        var columnGrants = await connection.QueryAsync(
            """
            SELECT a.attname AS col, CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END AS grantee,
                   string_agg(x.privilege_type, ', ' ORDER BY x.privilege_type) AS privileges, x.is_grantable AS grantable
            FROM pg_attribute a, aclexplode(a.attacl) x
            WHERE a.attrelid = @oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL AND x.grantee <> (SELECT relowner FROM pg_class WHERE oid = @oid)
            GROUP BY a.attname, x.grantee, x.is_grantable ORDER BY 1, 2, 4
            """,
            new { oid },
            transaction,
            cancellationToken);

        var extra = new Dictionary<string, string>
        {
            ["rules"] = JsonSerializer.Serialize(rules.Select(r => r.String("name")!)),
            ["row_type_users"] = JsonSerializer.Serialize(rowTypeUsers.Select(r => r.String("name")!)),
            ["other_rules"] = JsonSerializer.Serialize(otherRules.Select(r => new[] { r.String("name")!, r.String("owner_table")! })),
            ["functions"] = JsonSerializer.Serialize(functions.Select(f => f.String("name")!)),
            ["column_grants"] = JsonSerializer.Serialize(columnGrants.Select(g => new[] { g.String("col")!, g.String("grantee")!, g.String("privileges")!, g.Bool("grantable") ? "YES" : "" })),
            ["oid"] = oid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // DEFERRABLE [INITIALLY DEFERRED] of the primary key and unique constraints, by constraint name
            ["deferrable"] = JsonSerializer.Serialize(indexes.Where(i => i.String("deferrable") is not null).ToDictionary(i => i.String("constraint_name")!, i => i.String("deferrable")!)),
            // REPLICA IDENTITY when not the default: FULL, NOTHING, or the index it uses
            ["replica_identity"] = h.String("replident") switch
            {
                "f" => "FULL",
                "n" => "NOTHING",
                "i" when h.String("replident_index") is { } index => "USING INDEX " + D.Quote(index),
                _ => "",
            },
            ["owner"] = h.String("owner") ?? "",
            ["kind"] = h.String("kind") ?? "r",
            ["persistence"] = h.String("persistence") ?? "p",
            ["rls"] = h.Bool("rls") ? "true" : "false",
            ["force_rls"] = h.Bool("force_rls") ? "true" : "false",
            ["partitions"] = JsonSerializer.Serialize(partitions.Select(p => p.String("name")!)),
            ["partition_bounds"] = JsonSerializer.Serialize(partitions.Select(p => new[] { p.String("name")!, p.String("bound") ?? "", p.String("kind")!, p.String("persistence")!, p.String("options") ?? "" })),
            ["partition_own"] = JsonSerializer.Serialize(partitionOwn.Select(p => $"{p.String("kind")} '{p.String("name")}' of partition '{p.String("partition")}'")),
            ["partition_key"] = h.String("partition_key") ?? "",
            ["partition_columns"] = h.String("partition_columns") ?? "[]",
            ["partition_of"] = h.String("partition_of") ?? "",
            // name, owner, column list (a JSON array, or empty for all columns), row filter (empty for none)
            ["publications"] = JsonSerializer.Serialize(publications.Select(p => new[] { p.String("name")!, p.String("owner")!, p.String("cols")!, p.String("qual")! })),
            ["policies"] = JsonSerializer.Serialize(policies.Select(p => new[] { p.String("name")!, p.String("kind")!, p.String("cmd")!, p.String("roles")!, p.String("qual") ?? "", p.String("with_check") ?? "" })),
            ["inherits"] = h.Bool("inherits") ? "true" : "false",
            ["options"] = h.String("options") ?? "",
            // Its TOAST table's own options (ALTER TABLE ... SET (toast.autovacuum_enabled = false)), without the prefix.
            ["toast_options"] = h.String("toast_options") ?? "",
            ["comment"] = h.String("comment") ?? "",
            // grantee, privileges, "YES" when grantable, grantor
            ["grants"] = JsonSerializer.Serialize(grants.Select(g => new[] { g.String("grantee")!, g.String("privileges")!, g.Bool("grantable") ? "YES" : "", g.String("grantor") ?? "" })),
            ["sequences"] = JsonSerializer.Serialize(sequences.Select(s => new[] { s.String("seq")!, s.String("col")!, s.String("kind")! })),
            // each user trigger with the columns it names (UPDATE OF, WHEN)
            // Triggers that do not fire as created (ENABLE ORIGIN): D disabled, R replica, A always; pg_get_triggerdef leaves it out.
            // Statistics targets of an index's expression columns (ALTER INDEX ... ALTER COLUMN n SET STATISTICS): [[column number, target], ...]
            ["index_statistics"] = JsonSerializer.Serialize(indexes.Where(i => i.String("stats") is not null).ToDictionary(i => i.String("name")!, i => i.String("stats")!)),
            ["index_comments"] = JsonSerializer.Serialize(indexes.Where(i => i.String("comment") is not null).ToDictionary(i => i.String("name")!, i => i.String("comment")!)),
            ["constraint_comments"] = JsonSerializer.Serialize(constraints.Where(c => c.String("comment") is not null).ToDictionary(c => c.String("name")!, c => c.String("comment")!)),
            // Other tables' foreign keys to this one with a comment: child table, key name, comment (the cut-over adds the key again).
            ["referenced_by_comments"] = JsonSerializer.Serialize(referencedBy.Where(r => r.String("comment") is not null).Select(r => new[] { r.String("child")!, r.String("name")!, r.String("comment")!, r.String("child_schema")! })),
            ["trigger_comments"] = JsonSerializer.Serialize(triggers.Where(t => t.String("comment") is not null).ToDictionary(t => t.String("name")!, t => t.String("comment")!)),
            ["trigger_states"] = JsonSerializer.Serialize(triggers.Where(t => t.String("enabled") != "O").ToDictionary(t => t.String("name")!, t => t.String("enabled")!)),
            ["trigger_columns"] = JsonSerializer.Serialize(triggers.Select(t => new[] { t.String("name")!, t.String("columns")! })),
            // name, kind, the columns of the table it reads (a JSON array), and its schema (empty for Swap's own)
            ["views"] = JsonSerializer.Serialize(dependentViews.Select(v => new[] { v.String("name")!, v.String("kind")!, v.String("columns")!, OtherSchema(v.String("schema")) ?? "" })),
            ["constraints"] = JsonSerializer.Serialize(constraints.Where(c => c.String("type") is "c" or "x").Select(c => new[] { c.String("name")!, c.String("def")!, c.String("cols") ?? "[]" })),
        };

        return new TableSchema
        {
            Name = table,
            Columns = columns,
            PrimaryKey = pk is null ? [] : Json(pk.String("cols")),
            PrimaryKeyName = pk?.String("name"),
            Indexes = indexes.Where(i => !i.Bool("prim")).Select(i => new IndexSchema(
                i.String("name")!,
                Json(i.String("cols")).Select(c => new IndexColumn(c, Expression: c.Length == 0 ? "expression" : null)).ToList(),
                i.Bool("uniq"),
                IsConstraint: i.String("constraint_name") is not null,
                Predicate: i.String("pred"),
                Method: i.String("method"),
                Definition: i.String("def"))
            {
            }).ToList(),
            ForeignKeys = constraints.Where(c => c.String("type") == "f").Select(c => new ForeignKeySchema(
                c.String("name")!,
                table,
                Json(c.String("cols")),
                c.String("reftable")!,
                Json(c.String("refcols")),
                Action(c.String("ondelete")),
                Action(c.String("onupdate")),
                c.String("def"))
            { ReferencedSchema = OtherSchema(c.String("refschema")) }).ToList(),
            ReferencedBy = referencedBy.Select(r => new ForeignKeySchema(
                r.String("name")!,
                r.String("child")!,
                [],
                table,
                [],
                Definition: r.String("def"))
            { Schema = OtherSchema(r.String("child_schema")) }).ToList(),
            Triggers = triggers.Select(t => new TriggerSchema(t.String("name")!, t.String("def")!) { Body = t.String("body") }).ToList(),
            Checks = constraints.Where(c => c.String("type") == "c").Select(c => new CheckSchema(c.String("name")!, CheckExpression(c.String("def")!), c.String("def"))).ToList(),
            EstimatedRows = h.Int64("rows") is >= 0 and var rows ? rows : await CountAsync(connection, transaction, table, cancellationToken),
            // The heap and its TOAST table (a partitioned table has no storage of its own: 0, unknown).
            EstimatedBytes = h.Int64("bytes") ?? 0,
            Extra = extra,
        };
    }

    /// <summary>A schema other than the one Swap works in, or null for that one (a foreign key's other table may be anywhere).</summary>
    private string? OtherSchema(string? schema) => schema is null || schema == database.Schema ? null : schema;

    /// <summary>The schema of a view of the table's "views" list (<c>[name, kind, columns, schema]</c>): null for Swap's own.</summary>
    private static string? ViewSchema(string[] view) => view.Length > 3 && view[3].Length > 0 ? view[3] : null;

    /// <summary>How messages name such a view: with its schema when it is in another.</summary>
    private static string ViewName(string[] view) => ViewSchema(view) is { } schema ? schema + "." + view[0] : view[0];

    private bool? publicationFilters;

    /// <summary>PostgreSQL 15 and later give a publication's table a column list and a row filter.</summary>
    private async Task<bool> HasPublicationFiltersAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        publicationFilters ??= System.Convert.ToInt32(await connection.ScalarAsync("SELECT current_setting('server_version_num')::int", null, transaction, cancellationToken), System.Globalization.CultureInfo.InvariantCulture) >= 150000;

    /// <summary>The publications that list the table by name: name, owner, column list (JSON array or empty), row filter (or empty).</summary>
    private static List<string[]> Publications(TableSchema table) =>
        JsonSerializer.Deserialize<List<string[]>>(table.Extra.GetValueOrDefault("publications") ?? "[]") ?? [];

    /// <summary>A table never analyzed has no estimate; count it, up to ten million rows.</summary>
    private async Task<long> CountAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken) =>
        System.Convert.ToInt64(
            await connection.ScalarAsync($"SELECT count(*) FROM (SELECT 1 FROM {Q(table)} LIMIT 10000000) t", null, transaction, cancellationToken),
            System.Globalization.CultureInfo.InvariantCulture);

    internal static bool IsPartitioned(TableSchema table) => table.Extra.GetValueOrDefault("kind") == "p";

    /// <summary>The partitions of a partitioned table, by name.</summary>
    internal static List<string> Partitions(TableSchema table) => Json(table.Extra.GetValueOrDefault("partitions"));

    /// <summary>The partitions of a partitioned table with their bounds (none in schemas journaled before they were recorded).</summary>
    internal static List<PartitionSchema> PartitionBounds(TableSchema table) =>
        (JsonSerializer.Deserialize<List<string[]>>(table.Extra.GetValueOrDefault("partition_bounds") ?? "[]") ?? [])
            .Select(p => new PartitionSchema(p[0], p[1], p[2], p[3], p[4])).ToList();

    /// <summary>The partition key's columns (an empty name for an expression).</summary>
    internal static List<string> PartitionColumns(TableSchema table) => Json(table.Extra.GetValueOrDefault("partition_columns"));

    /// <summary>Objects a partition has of its own (not from the partitioned table), described.</summary>
    internal static List<string> PartitionOwn(TableSchema table) => Json(table.Extra.GetValueOrDefault("partition_own"));

    private static List<string> Json(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<string>>(json) ?? [];

    private static string? Action(string? code) => code switch
    {
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        "r" => "RESTRICT",
        _ => null,
    };

    /// <summary>
    /// The expression of a CHECK as <c>pg_get_constraintdef</c> prints it (<c>CHECK ((b > a))</c>,
    /// maybe with <c>NOT VALID</c>), without the keyword and the parentheses around all of it: <c>b > a</c>.
    /// </summary>
    internal static string CheckExpression(string definition)
    {
        var text = definition.Trim();
        if (text.EndsWith(" NOT VALID", StringComparison.Ordinal))
            text = text[..^" NOT VALID".Length].TrimEnd();
        if (text.StartsWith("CHECK ", StringComparison.Ordinal))
            text = text["CHECK ".Length..].Trim();
        while (text.Length > 1 && text[0] == '(' && ClosingParen(text) == text.Length - 1)
            text = text[1..^1].Trim();
        return text;
    }

    /// <summary>The index of the parenthesis that closes the one at 0, outside quotes; -1 when none.</summary>
    private static int ClosingParen(string text)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '\'' or '"')
            {
                var close = text.IndexOf(text[i], i + 1);
                if (close < 0)
                    return -1;
                i = close;
            }
            else if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')' && --depth == 0)
            {
                return i;
            }
        }
        return -1;
    }
}
