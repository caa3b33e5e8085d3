using Swap.Data;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// On PostgreSQL, catalog state a DBA set on a table is the same after a swap as before it: which
/// columns a role may read or write (and pass on), whether a trigger fires, a CHECK left NOT VALID
/// over old rows, an index's comment; and a shape the copy cannot take is refused before anything
/// is written.
/// </summary>
public class PostgresCatalogStateTests
{
    private static string Script(string change = "t.AddColumn(DbColumn.Int(\"extra\"));") => $$"""
        using Swap.Engine;
        public sealed class MigrateShape : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var t = await db.UseTableForAlterAsync("items");
                t.ForceCopy();
                {{change}}
                await db.DoneUsingTablesAsync("items");
            }
        }
        """;

    private static async Task SwapAsync(TestTarget target, string? change = null)
    {
        EngineKit.WriteSwapScript(target, change is null ? Script() : Script(change), "20260101000000_MigrateShape.cs");
        var result = await EngineKit.Migrator(target).UpAsync();
        Assert.Equal(["MigrateShape"], result.Applied.Select(a => a.Id));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task Column_grants_stay_on_their_columns_and_grant_options_stay()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await using var reader = await LeastPrivilegedUser.CreateAsync(target);
        await EngineKit.CreateItemsAsync(target, 300);
        var role = $"\"{reader.Name}\"";
        // The role may read and write only v (not the whole table), and may pass INSERT on.
        await target.ExecuteAsync($"""
            GRANT SELECT (v), UPDATE (v) ON items TO {role};
            GRANT INSERT ON items TO {role} WITH GRANT OPTION;
            GRANT REFERENCES (k) ON items TO {role} WITH GRANT OPTION;
            """);
        var acl = $"""
            SELECT coalesce(string_agg(x, ' | ' ORDER BY x), '') FROM (
              SELECT 'table ' || x.privilege_type || CASE WHEN x.is_grantable THEN '*' ELSE '' END AS x
                FROM pg_class c, aclexplode(c.relacl) x WHERE c.oid = 'items'::regclass AND x.grantee = '{reader.Name}'::regrole
              UNION ALL
              SELECT a.attname || ' ' || x.privilege_type || CASE WHEN x.is_grantable THEN '*' ELSE '' END
                FROM pg_attribute a, aclexplode(a.attacl) x WHERE a.attrelid = 'items'::regclass AND a.attnum > 0 AND x.grantee = '{reader.Name}'::regrole) s
            """;
        Assert.Equal("k REFERENCES* | table INSERT* | v SELECT | v UPDATE", await target.ScalarAsync(acl));

        await SwapAsync(target);

        Assert.Equal("k REFERENCES* | table INSERT* | v SELECT | v UPDATE", await target.ScalarAsync(acl));
        Assert.Equal(false, await target.ScalarAsync($"SELECT has_table_privilege('{reader.Name}', 'items', 'SELECT')"));
        Assert.Equal(false, await target.ScalarAsync($"SELECT has_column_privilege('{reader.Name}', 'items', 'k', 'SELECT')"));
    }

    [Fact]
    public async Task Disabled_and_replica_triggers_keep_their_firing_state()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 300);
        await target.ExecuteAsync("""
            CREATE TABLE audit (id bigint);
            CREATE FUNCTION audit_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit VALUES (NEW.id); RETURN NEW; END $$;
            CREATE TRIGGER items_off AFTER INSERT ON items FOR EACH ROW EXECUTE FUNCTION audit_fn();
            CREATE TRIGGER items_on AFTER UPDATE ON items FOR EACH ROW EXECUTE FUNCTION audit_fn();
            CREATE TRIGGER items_replica AFTER DELETE ON items FOR EACH ROW EXECUTE FUNCTION audit_fn();
            CREATE TRIGGER items_always BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION audit_fn();
            ALTER TABLE items DISABLE TRIGGER items_off;
            ALTER TABLE items ENABLE REPLICA TRIGGER items_replica;
            ALTER TABLE items ENABLE ALWAYS TRIGGER items_always;
            """);
        const string states = "SELECT string_agg(tgname || ' ' || tgenabled::text, ', ' ORDER BY tgname) FROM pg_trigger WHERE tgrelid = 'items'::regclass AND NOT tgisinternal";
        Assert.Equal("items_always A, items_off D, items_on O, items_replica R", await target.ScalarAsync(states));

        await SwapAsync(target);

        Assert.Equal("items_always A, items_off D, items_on O, items_replica R", await target.ScalarAsync(states));
        // The disabled trigger does not fire for an insert; the enabled ones fire once each for an update.
        await target.ExecuteAsync("INSERT INTO items (id, k, v) VALUES (1000, 1, 'new'); UPDATE items SET n = 1 WHERE id = 1;");
        Assert.Equal("1 1", await target.ScalarAsync("SELECT string_agg(id::text, ' ' ORDER BY id) FROM audit"));
    }

    [Fact]
    public async Task A_not_valid_check_over_old_rows_swaps_and_stays_not_valid()
    {
        // The common way to add a CHECK to a large table: NOT VALID (new writes are checked, old rows
        // are not), validated later or never. Old rows that break it must still be copied.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 300);
        await target.ExecuteAsync("ALTER TABLE items ADD CONSTRAINT items_k_small CHECK (k < 500) NOT VALID");

        await SwapAsync(target);

        Assert.Equal("CHECK ((k < 500)) NOT VALID false", await target.ScalarAsync("SELECT pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_k_small'"));
        Assert.Equal(300, (await EngineKit.ReadItemsAsync(target, withFlag: false)).Count);
        Assert.Equal(EngineKit.InitialItems(300).Values.Select(r => r.K), (await EngineKit.ReadItemsAsync(target, withFlag: false)).Select(r => r.K));
        // New writes are still checked.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO items (id, k, v) VALUES (1000, 900, 'new')"));
    }

    [Fact]
    public async Task A_not_valid_check_over_a_renamed_column_follows_the_column()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 300);
        await target.ExecuteAsync("ALTER TABLE items ADD CONSTRAINT items_k_small CHECK (k < 500 AND n >= 0) NOT VALID");

        await SwapAsync(target, "t.RenameColumn(\"k\", \"kind\"); t.GetColumn(\"n\").SetType(ColumnType.BigInt);");

        Assert.Equal("CHECK (((kind < 500) AND (n >= 0))) NOT VALID false", await target.ScalarAsync("SELECT pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_k_small'"));
        Assert.Equal(300L, Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM items WHERE kind = id * 7 % 1000")));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO items (id, kind, v) VALUES (1000, 900, 'new')"));
    }

    [Theory]
    // k renamed and a new column takes its name; k and n trade names.
    [InlineData("t.RenameColumn(\"k\", \"kind\"); t.AddColumn(DbColumn.Int(\"k\"));", "CHECK (((kind < 500) AND (n >= 0))) NOT VALID false", "kind")]
    [InlineData("t.RenameColumn(\"k\", \"tmp\"); t.RenameColumn(\"n\", \"k\"); t.RenameColumn(\"tmp\", \"n\");", "CHECK (((n < 500) AND (k >= 0))) NOT VALID false", "n")]
    public async Task A_not_valid_check_follows_renamed_columns_when_their_old_names_are_taken(string change, string definition, string kColumn)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 300);
        await target.ExecuteAsync("ALTER TABLE items ADD CONSTRAINT items_k_small CHECK (k < 500 AND n >= 0) NOT VALID");

        await SwapAsync(target, change);

        Assert.Equal(definition, await target.ScalarAsync("SELECT pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_k_small'"));
        Assert.Equal(300L, Convert.ToInt64(await target.ScalarAsync($"SELECT count(*) FROM items WHERE {kColumn} = id * 7 % 1000")));
        Assert.Equal(0L, Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname LIKE '\\_swap%'")));
    }

    [Fact]
    public async Task Foreign_keys_left_not_valid_over_old_rows_stay_not_valid_and_the_swap_finishes()
    {
        // Keys added NOT VALID to large tables, with old rows that break them: the table's own key,
        // and a child's key pointing at the table.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 300);
        await target.ExecuteAsync("""
            CREATE TABLE kinds (k int PRIMARY KEY);
            INSERT INTO kinds SELECT generate_series(0, 99);
            ALTER TABLE items ADD CONSTRAINT items_k_fk FOREIGN KEY (k) REFERENCES kinds (k) NOT VALID;
            CREATE TABLE notes (id int PRIMARY KEY, item_id bigint);
            INSERT INTO notes SELECT g, g * 10 FROM generate_series(1, 50) g;
            ALTER TABLE notes ADD CONSTRAINT notes_item_fk FOREIGN KEY (item_id) REFERENCES items (id) NOT VALID;
            """);

        await SwapAsync(target);

        Assert.Equal("items_k_fk FOREIGN KEY (k) REFERENCES kinds(k) NOT VALID false, notes_item_fk FOREIGN KEY (item_id) REFERENCES items(id) NOT VALID false",
            await target.ScalarAsync("SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated, ', ' ORDER BY conname) FROM pg_constraint WHERE contype = 'f' AND confrelid IN ('kinds'::regclass, 'items'::regclass)"));
        Assert.Equal(300, (await EngineKit.ReadItemsAsync(target, withFlag: false)).Count);
        // New writes are still checked.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO items (id, k, v) VALUES (1000, 900, 'new')"));
    }

    [Fact]
    public async Task Column_n_distinct_overrides_stay()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 300);
        await target.ExecuteAsync("ALTER TABLE items ALTER COLUMN k SET (n_distinct = -0.5), ALTER COLUMN v SET (n_distinct = 1000, n_distinct_inherited = 200)");
        const string options = "SELECT string_agg(attname || ' ' || o, ', ' ORDER BY attname, o) FROM pg_attribute, unnest(attoptions) o WHERE attrelid = 'items'::regclass AND o LIKE 'n\\_distinct%'";
        Assert.Equal("k n_distinct=-0.5, v n_distinct=1000, v n_distinct_inherited=200", await target.ScalarAsync(options));

        await SwapAsync(target, "t.RenameColumn(\"v\", \"label\");");

        Assert.Equal("k n_distinct=-0.5, label n_distinct=1000, label n_distinct_inherited=200", await target.ScalarAsync(options));
    }

    [Fact]
    public async Task Index_and_constraint_comments_stay()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 300);
        await target.ExecuteAsync("""
            CREATE INDEX items_k_idx ON items (k);
            COMMENT ON INDEX items_k_idx IS 'for the report';
            COMMENT ON INDEX items_pkey IS 'the key';
            ALTER TABLE items ADD CONSTRAINT items_k_positive CHECK (k >= 0);
            COMMENT ON CONSTRAINT items_k_positive ON items IS 'no negative kinds';
            COMMENT ON CONSTRAINT items_pkey ON items IS 'the primary key';
            CREATE TABLE notes (id int PRIMARY KEY, item_id bigint REFERENCES items (id));
            COMMENT ON CONSTRAINT notes_item_id_fkey ON notes IS 'each note has its item';
            """);

        await SwapAsync(target);

        Assert.Equal("items_k_idx for the report, items_pkey the key", await target.ScalarAsync("SELECT string_agg(indexrelid::regclass::text || ' ' || obj_description(indexrelid, 'pg_class'), ', ' ORDER BY indexrelid::regclass::text) FROM pg_index WHERE indrelid = 'items'::regclass"));
        Assert.Equal("items_k_positive no negative kinds, items_pkey the primary key", await target.ScalarAsync("SELECT string_agg(conname || ' ' || obj_description(oid, 'pg_constraint'), ', ' ORDER BY conname) FROM pg_constraint WHERE conrelid = 'items'::regclass"));
        // Another table's key to it is added again at the cut-over, with its comment.
        Assert.Equal("each note has its item", await target.ScalarAsync("SELECT obj_description(oid, 'pg_constraint') FROM pg_constraint WHERE conrelid = 'notes'::regclass AND conname = 'notes_item_id_fkey'"));
    }

    [Fact]
    public async Task Trigger_comments_identity_sequence_grants_and_comments_toast_options_and_index_statistics_targets_stay()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await using var app = await LeastPrivilegedUser.CreateAsync(target);
        await target.ExecuteAsync("""
            CREATE TABLE items (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, k int NOT NULL, v text);
            INSERT INTO items (k, v) SELECT g, 'v' || g FROM generate_series(1, 300) g;
            CREATE FUNCTION items_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION items_touch();
            COMMENT ON TRIGGER items_touch ON items IS 'keeps v tidy';
            COMMENT ON SEQUENCE items_id_seq IS 'ids of items';
            ALTER TABLE items SET (toast.autovacuum_enabled = false, toast.vacuum_truncate = false);
            CREATE INDEX items_lower_v ON items (k, lower(v));
            ALTER INDEX items_lower_v ALTER COLUMN 2 SET STATISTICS 321;
            """);
        // The application's role reads the id it was given (currval) and reserves ids itself (nextval).
        await target.ExecuteAsync($"GRANT USAGE, SELECT ON SEQUENCE items_id_seq TO \"{app.Name}\"");
        const string Acl = "SELECT coalesce(array_to_string(relacl, ','), '') FROM pg_class WHERE oid = 'items_id_seq'::regclass";
        var acl = await target.ScalarAsync(Acl);
        Assert.Contains(app.Name, (string)acl!);

        await SwapAsync(target);

        Assert.Equal("keeps v tidy", await target.ScalarAsync("SELECT obj_description(oid, 'pg_trigger') FROM pg_trigger WHERE tgrelid = 'items'::regclass AND tgname = 'items_touch'"));
        Assert.Equal($"{target.Name}.items_id_seq", await target.ScalarAsync($"SELECT pg_get_serial_sequence('{target.Name}.items', 'id')"));
        Assert.Equal(acl, await target.ScalarAsync(Acl));
        Assert.Equal(true, await target.ScalarAsync($"SELECT has_sequence_privilege('{app.Name}', 'items_id_seq', 'USAGE')"));
        Assert.Equal("ids of items", await target.ScalarAsync("SELECT obj_description('items_id_seq'::regclass, 'pg_class')"));
        Assert.Equal(321, Convert.ToInt32(await target.ScalarAsync("SELECT attstattarget FROM pg_attribute WHERE attrelid = 'items_lower_v'::regclass AND attnum = 2")));
        Assert.Equal("autovacuum_enabled=false,vacuum_truncate=false", await target.ScalarAsync("SELECT array_to_string(t.reloptions, ',') FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid WHERE c.oid = 'items'::regclass"));
    }

    [Theory]
    [InlineData("CREATE TABLE inbox (id bigint); CREATE RULE inbox_to_items AS ON INSERT TO inbox DO ALSO INSERT INTO items (id, k, v) VALUES (NEW.id, 0, 'inbox')", "inbox_to_items", "inbox")]
    [InlineData("CREATE VIEW items_entry AS SELECT id, v FROM items; CREATE RULE items_entry_ins AS ON INSERT TO items_entry DO INSTEAD INSERT INTO items (id, k, v) VALUES (NEW.id, 0, NEW.v)", "items_entry_ins", "items_entry")]
    public async Task A_rule_of_another_table_or_view_that_writes_the_table_is_refused_before_anything_is_written(string ddl, string rule, string owner)
    {
        // The rule binds to the table itself: after a swap it would write into the old table, and
        // the old table could not be dropped.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 300);
        await target.ExecuteAsync(ddl);
        EngineKit.WriteSwapScript(target, Script(), "20260101000000_MigrateShape.cs");

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains($"The rule '{rule}' on '{owner}'", e.Message, StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal(300, (await EngineKit.ReadItemsAsync(target, withFlag: false)).Count);
    }

    [Fact]
    public async Task A_column_of_another_table_typed_with_its_row_type_is_refused_before_anything_is_written()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 300);
        await target.ExecuteAsync("CREATE TABLE history (id int, snap items, snaps items[]); INSERT INTO history SELECT 1, i, ARRAY[i] FROM items i LIMIT 5");
        EngineKit.WriteSwapScript(target, Script(), "20260101000000_MigrateShape.cs");

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains("The column 'history.snap' has its row type", e.Message, StringComparison.Ordinal);
        Assert.Contains("The column 'history.snaps' has its row type", e.Message, StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal("items", await target.ScalarAsync("SELECT format_type(atttypid, NULL) FROM pg_attribute WHERE attrelid = 'history'::regclass AND attname = 'snap'"));
    }

    [Fact]
    public async Task A_table_with_a_materialized_view_takes_an_instant_change_and_a_copy_is_still_refused()
    {
        // Adding a nullable column or renaming one is a catalog change PostgreSQL makes under the
        // view; only a copy (the view would keep reading the old table) has to be refused.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 300);
        await target.ExecuteAsync("CREATE MATERIALIZED VIEW items_by_k AS SELECT k, count(*) AS n FROM items GROUP BY k");
        EngineKit.WriteSwapScript(target, """
            using Swap.Engine;
            public sealed class MigrateInstant : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var t = await db.UseTableForAlterAsync("items");
                    t.AddColumn(DbColumn.Int("extra"));
                    t.RenameColumn("k", "kind");
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """, "20260101000000_MigrateInstant.cs");

        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Equal(["MigrateInstant"], result.Applied.Select(a => a.Id));
        Assert.Equal(300L, Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM items WHERE kind = id * 7 % 1000 AND extra IS NULL")));
        await target.ExecuteAsync("REFRESH MATERIALIZED VIEW items_by_k");
        Assert.Equal(300L, Convert.ToInt64(await target.ScalarAsync("SELECT sum(n) FROM items_by_k")));

        EngineKit.WriteSwapScript(target, Script("t.AddColumn(DbColumn.Int(\"more\"));"), "20260102000000_MigrateShape.cs");
        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());
        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains("The materialized view 'items_by_k' depends on it", e.Message, StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task A_deferrable_exclusion_constraint_is_refused_before_anything_is_written()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 300);
        await target.ExecuteAsync("""
            ALTER TABLE items ADD COLUMN span int4range;
            UPDATE items SET span = int4range((id * 10)::int, (id * 10 + 5)::int);
            ALTER TABLE items ADD CONSTRAINT items_span_excl EXCLUDE USING gist (span WITH &&) DEFERRABLE INITIALLY DEFERRED;
            """);
        EngineKit.WriteSwapScript(target, Script(), "20260101000000_MigrateShape.cs");

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains("items_span_excl", e.Message, StringComparison.Ordinal);
        Assert.Contains("DEFERRABLE", e.Message, StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal(300, (await EngineKit.ReadItemsAsync(target, withFlag: false)).Count);
    }
}
