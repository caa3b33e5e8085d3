using Swap.Data;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// On PostgreSQL, row-level security and its policies, exclusion constraints, grants, comments and
/// column statistics targets move with the swapped table, under concurrent writes.
/// </summary>
public class PostgresCarryOverTests
{
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
}
