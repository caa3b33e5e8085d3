using Swap.Data;
using Swap.IntegrationTests.Infrastructure;
using Swap.PostgreSql;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// On PostgreSQL, row-level security and its policies, exclusion constraints, grants, comments and
/// column statistics targets move with the swapped table, under concurrent writes.
/// </summary>
public class PostgresCarryOverTests
{
    /// <summary>One script that copies the tables together, each with its own change (<c>t</c> is the table).</summary>
    private static string Script(params (string Table, string Body)[] tables) => $$"""
        using Swap.Engine;
        public sealed class MigrateShape : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                {{string.Join("\n", tables.Select(t => $"{{ var t = await db.UseTableForAlterAsync(\"{t.Table}\"); t.ForceCopy(); {t.Body} }}"))}}
                await db.DoneUsingTablesAsync({{string.Join(", ", tables.Select(t => $"\"{t.Table}\""))}});
            }
        }
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_collation_of_another_schema_stays_that_collation(bool sameNameInTableSchema)
    {
        // The table's schema is the connection's search_path; the collation lives in public. Written
        // without its schema, the copy's column (and the change log's key) would name a collation
        // that does not exist there, or a different one of the same name.
        var collation = UniqueName.Next("ci");
        var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        try
        {
            await target.ExecuteAsync($"CREATE COLLATION public.\"{collation}\" (provider = icu, locale = 'und-u-ks-level2', deterministic = false)");
            if (sameNameInTableSchema)
                await target.ExecuteAsync($"CREATE COLLATION \"{collation}\" (provider = icu, locale = 'und')");
            await target.ExecuteAsync($"""
                CREATE TABLE named (id int PRIMARY KEY, name text COLLATE public."{collation}");
                INSERT INTO named SELECT g, 'Name' || g FROM generate_series(1, 200) g;
                CREATE TABLE coded (code text COLLATE public."{collation}" PRIMARY KEY, v int);
                INSERT INTO coded SELECT 'Code' || g, g FROM generate_series(1, 200) g;
                """);
            EngineKit.WriteSwapScript(target, Script(("named", "t.AddColumn(DbColumn.Int(\"extra\").FillWith(\"id * 2\"));"), ("coded", "t.AddColumn(DbColumn.Int(\"extra\"));")), "20260101000000_MigrateShape.cs");

            var result = await EngineKit.Migrator(target).UpAsync();

            Assert.Equal(["MigrateShape"], result.Applied.Select(a => a.Id));
            var collations = await target.QueryAsync("""
                SELECT c.relname || '.' || a.attname || ' ' || n.nspname || '.' || co.collname AS x
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_collation co ON co.oid = a.attcollation JOIN pg_namespace n ON n.oid = co.collnamespace
                WHERE a.attrelid IN ('named'::regclass, 'coded'::regclass) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1
                """);
            Assert.Equal([$"coded.code public.{collation}", $"named.name public.{collation}"], collations.Select(r => r.String("x")));
            // Case-insensitive, as before the swap: the key rejects a spelling that differs only in case.
            Assert.Equal(1L, Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM named WHERE name = 'NAME7'")));
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO coded VALUES ('CODE7', 0)"));
            Assert.Equal(14L, Convert.ToInt64(await target.ScalarAsync("SELECT extra FROM named WHERE id = 7")));
            Assert.Empty(await EngineKit.LeftoversAsync(target));
        }
        finally
        {
            await target.DisposeAsync();
            await using var admin = await new PostgresDatabase(TestServers.Postgres).OpenConnectionAsync(default);
            await admin.ExecuteAsync($"DROP COLLATION IF EXISTS public.\"{collation}\"", default);
        }
    }

    [Fact]
    public async Task Column_compression_moves_with_the_table()
    {
        // COMPRESSION set on a column (pg_attribute.attcompression); a column without one keeps
        // following default_toast_compression.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await target.ExecuteAsync("""
            CREATE TABLE docs (id int PRIMARY KEY, doc text COMPRESSION lz4, body text COMPRESSION pglz, note text);
            INSERT INTO docs SELECT g, repeat('doc' || g, 2000), repeat('body' || g, 2000), 'n' || g FROM generate_series(1, 100) g;
            """);
        const string shape = """
            SELECT string_agg(attname || ' ' || CASE WHEN attcompression = '' THEN 'default' ELSE attcompression::text END, ', ' ORDER BY attnum)
            FROM pg_attribute WHERE attrelid = 'docs'::regclass AND attnum > 0 AND NOT attisdropped
            """;
        Assert.Equal("id default, doc l, body p, note default", await target.ScalarAsync(shape));
        EngineKit.WriteSwapScript(target, Script(("docs", "t.AddColumn(DbColumn.Int(\"extra\"));")), "20260101000000_MigrateShape.cs");

        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Equal(["MigrateShape"], result.Applied.Select(a => a.Id));
        Assert.Equal("id default, doc l, body p, note default, extra default", await target.ScalarAsync(shape));
        // A value written after the swap is compressed as the column says (copied values keep the
        // compression they had: PostgreSQL copies a compressed value as it is).
        await target.ExecuteAsync("INSERT INTO docs (id, doc, body) VALUES (1000, repeat('new', 3000), repeat('new', 3000))");
        Assert.Equal("lz4 pglz", await target.ScalarAsync("SELECT pg_column_compression(doc) || ' ' || pg_column_compression(body) FROM docs WHERE id = 1000"));
        Assert.Equal(100L, Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM docs WHERE id < 1000 AND doc = repeat('doc' || id, 2000)")));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task Policies_exclusion_constraints_grants_comments_and_statistics_targets_move_with_the_table()
    {
        const int rows = 3000;
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await using var reader = await LeastPrivilegedUser.CreateAsync(target);
        await EngineKit.CreateItemsAsync(target, rows);
        var role = $"\"{reader.Name}\"";
        await target.ExecuteAsync($"""
            ALTER TABLE items ADD COLUMN span int4range;
            UPDATE items SET span = int4range((id * 10)::int, (id * 10 + 5)::int);
            ALTER TABLE items ADD CONSTRAINT items_span_excl EXCLUDE USING gist (span WITH &&);
            ALTER TABLE items ENABLE ROW LEVEL SECURITY;
            CREATE POLICY items_low_k ON items AS PERMISSIVE FOR SELECT TO {role} USING (k < 500);
            GRANT SELECT ON items TO {role};
            COMMENT ON TABLE items IS 'the items';
            COMMENT ON COLUMN items.v IS 'a value';
            ALTER TABLE items ALTER COLUMN k SET STATISTICS 500;
            """);
        EngineKit.WriteSwapScript(target);

        var (result, writer) = await WritesDuringSwap.RunAsync(target, rows, c => EngineKit.Migrator(target, c));

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        OracleWriter.AssertMatches(writer.Oracle, writer.Inserted, await EngineKit.ReadItemsAsync(target));
        var table = (await target.QueryAsync("SELECT relrowsecurity, obj_description(oid, 'pg_class') AS comment FROM pg_class WHERE oid = 'items'::regclass")).Single();
        Assert.True(table.Bool("relrowsecurity"));
        Assert.Equal("the items", table.String("comment"));
        Assert.Equal("a value", await target.ScalarAsync("SELECT col_description('items'::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'v'))"));
        Assert.Equal(500, Convert.ToInt32(await target.ScalarAsync("SELECT attstattarget FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'k'")));
        var policy = (await target.QueryAsync("SELECT polname, polcmd::text AS cmd, pg_get_expr(polqual, polrelid) AS qual FROM pg_policy WHERE polrelid = 'items'::regclass")).Single();
        Assert.Equal("items_low_k r (k < 500)", $"{policy.String("polname")} {policy.String("cmd")} {policy.String("qual")}");
        Assert.Equal("x", await target.ScalarAsync("SELECT contype::text FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_span_excl'"));
        Assert.Equal(0L, Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM items a JOIN items b ON a.id < b.id AND a.span && b.span")));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO items (id, k, v, n, span) SELECT -1, 1, 'x', 0, int4range(lower(span) + 1, lower(span) + 2) FROM items WHERE span IS NOT NULL LIMIT 1"));

        // The policy acts on the swapped-in table: the reader sees only its rows.
        await using (var c = await target.OpenAsync())
        {
            await c.ExecuteAsync($"SET ROLE {role}", default);
            var seen = Convert.ToInt64(await c.ScalarAsync("SELECT count(*) FROM items", default));
            Assert.Equal(writer.Oracle.Values.Count(r => r.K < 500), seen);
            await c.ExecuteAsync("RESET ROLE", default);
        }
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task Grants_made_by_a_role_with_the_grant_option_keep_their_grantor()
    {
        // Before: the copy's grants were all made by the owner, so the reader's SELECT no longer
        // depended on the lead's grant option (REVOKE ... CASCADE from the lead left it in place).
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await using var lead = await LeastPrivilegedUser.CreateAsync(target);
        await using var reader = await LeastPrivilegedUser.CreateAsync(target);
        await EngineKit.CreateItemsAsync(target, 1000);
        await target.ExecuteAsync($"""
            GRANT SELECT, UPDATE ON items TO "{lead.Name}" WITH GRANT OPTION;
            SET ROLE "{lead.Name}";
            GRANT SELECT ON items TO "{reader.Name}";
            RESET ROLE;
            """);
        const string acl = "SELECT string_agg(e, '; ' ORDER BY e) FROM (SELECT pg_get_userbyid(x.grantee) || ' ' || x.privilege_type || ' by ' || pg_get_userbyid(x.grantor) || CASE WHEN x.is_grantable THEN ' with grant option' ELSE '' END AS e FROM pg_class c, aclexplode(c.relacl) x WHERE c.oid = 'items'::regclass) s";
        var before = await target.ScalarAsync(acl);
        Assert.Contains($"{reader.Name} SELECT by {lead.Name}", Convert.ToString(before, System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        EngineKit.WriteSwapScript(target);

        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        Assert.Equal(before, await target.ScalarAsync(acl));
        await target.ExecuteAsync($"REVOKE GRANT OPTION FOR SELECT ON items FROM \"{lead.Name}\" CASCADE");
        Assert.Equal(0L, Convert.ToInt64(await target.ScalarAsync($"SELECT count(*) FROM pg_class c, aclexplode(c.relacl) x WHERE c.oid = 'items'::regclass AND pg_get_userbyid(x.grantee) = '{reader.Name}'")));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task The_swapped_table_takes_the_originals_place_in_its_publications_with_their_column_lists_and_row_filters()
    {
        const int rows = 3000;
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, rows);
        var (all, filtered) = ($"pub_all_{Guid.NewGuid():N}"[..20], $"pub_low_{Guid.NewGuid():N}"[..20]);
        await target.ExecuteAsync($"""
            CREATE PUBLICATION {all} FOR TABLE items;
            CREATE PUBLICATION {filtered} FOR TABLE items (id, k, v) WHERE (id < 500);
            """);
        try
        {
            EngineKit.WriteSwapScript(target);

            var (result, writer) = await WritesDuringSwap.RunAsync(target, rows, c => EngineKit.Migrator(target, c));

            Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
            OracleWriter.AssertMatches(writer.Oracle, writer.Inserted, await EngineKit.ReadItemsAsync(target));
            var published = await target.QueryAsync(
                "SELECT p.pubname AS name, c.relname AS rel, COALESCE(pg_get_expr(pr.prqual, pr.prrelid), '') AS qual, " +
                "COALESCE((SELECT string_agg(a.attname, ',' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = pr.prrelid AND a.attnum = ANY (pr.prattrs)), '') AS cols " +
                "FROM pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid JOIN pg_class c ON c.oid = pr.prrelid WHERE p.pubname IN (@all, @filtered) ORDER BY p.pubname",
                new { all, filtered });
            Assert.Equal(
                [$"{all} items  ", $"{filtered} items (id < 500) id,k,v"],
                published.Select(p => $"{p.String("name")} {p.String("rel")} {p.String("qual")} {p.String("cols")}").ToList());
            Assert.Equal(1L, Convert.ToInt64(await target.ScalarAsync($"SELECT count(*) FROM pg_publication_tables WHERE pubname = '{all}' AND tablename = 'items'")));
            Assert.Empty(await EngineKit.LeftoversAsync(target));
        }
        finally
        {
            await target.ExecuteAsync($"DROP PUBLICATION IF EXISTS {all}; DROP PUBLICATION IF EXISTS {filtered};");
        }
    }

    [Fact]
    public async Task A_swap_that_drops_a_column_a_publication_filters_on_is_refused_before_anything_is_written()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 100);
        var publication = $"pub_n_{Guid.NewGuid():N}"[..20];
        await target.ExecuteAsync($"CREATE PUBLICATION {publication} FOR TABLE items (id, k, n)");
        try
        {
            EngineKit.WriteSwapScript(target, EngineKit.SwapScript.Replace("items.GetColumn(\"v\").SetDefault(\"none\");", "items.DropColumn(\"n\");", StringComparison.Ordinal));

            var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());

            Assert.Equal(SwapErrorKind.Refused, failure.Kind);
            Assert.Contains($"The publication '{publication}' names the column 'n'", failure.Message, StringComparison.Ordinal);
            Assert.Equal(100L, Convert.ToInt64(await target.ScalarAsync("SELECT count(n) FROM items")));
            Assert.Empty(await EngineKit.LeftoversAsync(target));
        }
        finally
        {
            await target.ExecuteAsync($"DROP PUBLICATION IF EXISTS {publication}");
        }
    }
}
