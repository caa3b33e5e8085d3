using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// On PostgreSQL, a view or a foreign key in another schema than the swapped table's binds to the
/// table by identity as one in its own schema does, and moves with the swap the same way: the view
/// is replaced where it is (not created again in the table's schema) and reads the new table, the
/// key is re-added on its own table and validated.
/// </summary>
public class PostgresOtherSchemaTests
{
    [Fact]
    public async Task A_view_and_a_foreign_key_in_another_schema_follow_the_swapped_table()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        var other = target.Name + "_other";
        await EngineKit.CreateItemsAsync(target, 300);
        try
        {
            await target.ExecuteAsync($"""
                CREATE SCHEMA "{other}";
                CREATE TABLE "{other}".lines (id int PRIMARY KEY, item_id bigint REFERENCES items(id));
                COMMENT ON CONSTRAINT lines_item_id_fkey ON "{other}".lines IS 'line to item';
                CREATE VIEW "{other}".item_view AS SELECT id, v FROM items;
                INSERT INTO "{other}".lines VALUES (1, 1), (2, 300);
                -- The table's own key to a table of the other schema, of the same name as one in its own, MATCH FULL.
                CREATE TABLE "{other}".owners (id int, kind int, PRIMARY KEY (id, kind));
                CREATE TABLE owners (id int, kind int, PRIMARY KEY (id, kind));
                INSERT INTO "{other}".owners VALUES (1, 1);
                ALTER TABLE items ADD COLUMN owner_id int, ADD COLUMN owner_kind int;
                UPDATE items SET owner_id = 1, owner_kind = 1 WHERE id <= 10;
                ALTER TABLE items ADD CONSTRAINT items_owner_fkey FOREIGN KEY (owner_id, owner_kind) REFERENCES "{other}".owners (id, kind) MATCH FULL;
                """);
            EngineKit.WriteSwapScript(target, """
                using Swap.Engine;
                public sealed class MigrateItems : Migration
                {
                    public override async Task UpAsync(MigrationContext db)
                    {
                        var t = await db.UseTableForAlterAsync("items");
                        t.AddColumn(DbColumn.String("upper_v", 50).FillWith("upper(v)"));
                        await db.DoneUsingTablesAsync("items");
                    }
                }
                """, "20260101000000_MigrateItems.cs");

            var result = await EngineKit.Migrator(target).UpAsync();

            Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
            Assert.Empty(await EngineKit.LeftoversAsync(target));
            // The view in the other schema reads the new table, and none was made in the table's schema.
            await target.ExecuteAsync("INSERT INTO items (id, k, v) VALUES (301, 1, 'after')");
            Assert.Equal(301L, Convert.ToInt64(await target.ScalarAsync($"SELECT count(*) FROM \"{other}\".item_view")));
            Assert.Equal(0L, Convert.ToInt64(await target.ScalarAsync($"SELECT count(*) FROM pg_class WHERE relname = 'item_view' AND relnamespace = '\"{target.Name}\"'::regnamespace")));
            // The key of the other schema's table points at the new table, validated, with its comment, and still acts.
            var key = (await target.QueryAsync($"""
                SELECT confrelid = '"{target.Name}".items'::regclass AS new_table, convalidated, obj_description(oid, 'pg_constraint') AS comment
                FROM pg_constraint WHERE conname = 'lines_item_id_fkey' AND conrelid = '"{other}".lines'::regclass
                """)).Single();
            Assert.True(key.Bool("new_table"));
            Assert.True(key.Bool("convalidated"));
            Assert.Equal("line to item", key.String("comment"));
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync($"INSERT INTO \"{other}\".lines VALUES (3, 99999)"));
            // The table's own key still points at the other schema's table, MATCH FULL, validated.
            var own = (await target.QueryAsync($"""
                SELECT confrelid = '"{other}".owners'::regclass AS other_table, confmatchtype::text AS match, convalidated
                FROM pg_constraint WHERE conname = 'items_owner_fkey' AND conrelid = '"{target.Name}".items'::regclass
                """)).Single();
            Assert.True(own.Bool("other_table"));
            Assert.Equal("f", own.String("match"));
            Assert.True(own.Bool("convalidated"));
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO items (id, k, v, owner_id) VALUES (302, 1, 'half a key', 1)"));
        }
        finally
        {
            await target.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{other}\" CASCADE");
        }
    }
}
