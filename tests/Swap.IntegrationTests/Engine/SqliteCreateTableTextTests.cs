using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// SQLite keeps a table's CREATE TABLE text as written, comments included, and Swap builds the copy
/// from that text: a comment between the column definitions (with a comma, a quote or a parenthesis
/// in it) must not hide a column or split one.
/// </summary>
public class SqliteCreateTableTextTests
{
    [Theory]
    [InlineData("never")]
    [InlineData("always")]
    public async Task Comments_in_the_create_table_text_do_not_hide_or_split_columns(string online)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await target.ExecuteAsync("""
            CREATE TABLE items (
              id INTEGER PRIMARY KEY, -- the key, (never reused)
              name TEXT NOT NULL DEFAULT 'n', /* shown to users, don't change */
              -- a line of its own: qty, price
              qty INT NOT NULL DEFAULT 1 /* at least one ( */ CHECK (qty > 0),
              note TEXT -- last one'
            )
            """);
        await target.ExecuteAsync("INSERT INTO items (id, name, qty, note) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 300) SELECT i, 'n' || i, 1 + i % 5, 'x' FROM s");
        target.CSharp("20261201000000_MigrateItems", """
            using Swap.Engine;

            public sealed class MigrateItems : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var items = await db.UseTableForAlterAsync("items");
                    items.ForceCopy();
                    items.AddColumn(DbColumn.Int("extra"));
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """);

        var run = await SwapCli.RunAsync(target, "up", "--sqlite-online", online);

        Assert.True(run.ExitCode == 0, run.ToString());
        var columns = await target.QueryAsync("SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info('items') ORDER BY cid");
        Assert.Equal(
            [("id", "INTEGER", 0L, null), ("name", "TEXT", 1L, "'n'"), ("qty", "INT", 1L, "1"), ("note", "TEXT", 0L, null), ("extra", "INTEGER", 0L, null)],
            columns.Select(c => (c.String("name"), c.String("type"), c.Int64("notnull")!.Value, c.String("dflt_value"))));
        Assert.Equal(300L, Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM items WHERE note = 'x' AND qty BETWEEN 1 AND 5")));
        // The CHECK after the comment is still there.
        await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync("INSERT INTO items (id, name, qty) VALUES (301, 'z', 0)"));
    }
}
