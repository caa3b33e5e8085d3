using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// Narrowing a character column on PostgreSQL: a value that does not fit stops the swap as refused
/// (exit 7) with the server's error (22001), the row's key and the original intact, as on MySQL; PostgreSQL's explicit cast would
/// cut it off without a word. Values that fit are copied as they are.
/// </summary>
public class PostgresNarrowingTests
{
    private const string Narrow = """
        using Swap.Engine;

        public sealed class MigrateItems : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var items = await db.UseTableForAlterAsync("items");
                items.GetColumn("v").SetType(ColumnType.String(5));
                await db.DoneUsingTablesAsync("items");
            }
        }
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_value_that_does_not_fit_the_narrower_column_stops_the_swap_instead_of_being_cut(bool tooLong)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await target.ExecuteAsync("CREATE TABLE items (id int PRIMARY KEY, v varchar(50) NOT NULL); INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 300) g;");
        if (tooLong)
            await target.ExecuteAsync("UPDATE items SET v = 'a-very-long-name' WHERE id = 7");
        EngineKit.WriteSwapScript(target, Narrow);

        var run = await SwapCli.RunAsync(target, "up");

        if (tooLong)
        {
            Assert.Equal(7, run.ExitCode);
            Assert.Contains("column 'v' becomes character varying(5) NOT NULL, and the row with key (7) holds a value it cannot take (22001: value too long for type character varying(5))", run.Err, StringComparison.Ordinal);
            Assert.Equal("a-very-long-name", await target.ScalarAsync("SELECT v FROM items WHERE id = 7"));
            Assert.Equal("character varying(50)", await target.ScalarAsync("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'v'"));
            Assert.Empty(await target.HistoryIdsAsync());
        }
        else
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("character varying(5)", await target.ScalarAsync("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'v'"));
            Assert.Equal(300L, await target.ScalarAsync("SELECT count(*) FROM items WHERE v = 'v' || id"));
        }
    }
}
