using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// On PostgreSQL, what binds to a table by identity moves with the swap: views, foreign keys that
/// point at it (re-added NOT VALID, then validated), serial sequences and identity columns, the
/// user's own triggers, index and constraint names, grants.
/// </summary>
public class PostgresBindingTests
{
    [Fact]
    public async Task Views_foreign_keys_sequences_identity_triggers_and_names_follow_the_swapped_table()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await target.ExecuteAsync("""
            CREATE TABLE parents (id BIGSERIAL PRIMARY KEY, code INT GENERATED ALWAYS AS IDENTITY UNIQUE, name TEXT NOT NULL, touched TEXT);
            CREATE TABLE children (id SERIAL PRIMARY KEY, parent_id BIGINT NOT NULL REFERENCES parents(id) ON DELETE CASCADE);
            CREATE VIEW parent_names AS SELECT id, name FROM parents;
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touched := 'yes'; RETURN NEW; END $$;
            CREATE TRIGGER parents_touch BEFORE INSERT ON parents FOR EACH ROW EXECUTE FUNCTION touch();
            INSERT INTO parents (name) SELECT 'p' || g FROM generate_series(1, 500) g;
            INSERT INTO children (parent_id) SELECT g FROM generate_series(1, 500, 5) g;
            """);
        EngineKit.WriteSwapScript(target, """
            using Swap.Engine;
            public sealed class MigrateParents : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var parents = await db.UseTableForAlterAsync("parents");
                    parents.AddColumn(DbColumn.String("upper_name", 50).FillWith("upper(name)"));
                    await db.DoneUsingTablesAsync("parents");
                }
            }
            """, "20260101000000_MigrateParents.cs");

        await EngineKit.Migrator(target).UpAsync();

        // The view reads the new table (it sees a row inserted after the swap).
        await target.ExecuteAsync("INSERT INTO parents (name) VALUES ('after')");
        Assert.Equal(501L, Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM parent_names")));
        // The serial sequence continues, is owned by the new table, and survived dropping the old one.
        var after = (await target.QueryAsync("SELECT id, code, touched FROM parents WHERE name = 'after'")).Single();
        Assert.Equal(501L, after.Int64("id"));
        Assert.Equal("yes", after.String("touched"));
        Assert.True(after.Int64("code") > 500, $"identity must continue after the old table's values, got {after.Int64("code")}");
        Assert.Equal($"{target.Name}.parents_id_seq", await target.ScalarAsync($"SELECT pg_get_serial_sequence('{target.Name}.parents', 'id')"));
        Assert.Equal($"{target.Name}.parents_code_seq", await target.ScalarAsync($"SELECT pg_get_serial_sequence('{target.Name}.parents', 'code')"));
        // Foreign keys point at the new table, validated, and still act.
        Assert.True((bool)(await target.ScalarAsync("SELECT convalidated FROM pg_constraint WHERE conname = 'children_parent_id_fkey' AND connamespace = current_schema()::regnamespace"))!);
        Assert.Equal("parents", await target.ScalarAsync("SELECT confrelid::regclass::text FROM pg_constraint WHERE conname = 'children_parent_id_fkey' AND connamespace = current_schema()::regnamespace"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO children (parent_id) VALUES (99999)"));
        await target.ExecuteAsync("DELETE FROM parents WHERE id = 1");
        Assert.Equal(0L, Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM children WHERE parent_id = 1")));
        // Index and constraint names are the original ones.
        var names = (await target.QueryAsync($"SELECT indexname FROM pg_indexes WHERE schemaname = '{target.Name}' AND tablename = 'parents' ORDER BY 1")).Select(r => r.String("indexname")).ToList();
        Assert.Equal(["parents_code_key", "parents_pkey"], names);
        Assert.Equal("P1", (await target.QueryAsync("SELECT upper_name FROM parents WHERE id = 2")).Single().String("upper_name")?[..1] + "1");
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}
