using System.Globalization;
using Swap.Data;
using Swap.IntegrationTests.Infrastructure;
using Swap.MySql;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// Values a MySQL/MariaDB table may hold that the server's usual sql_mode would not let a plain
/// INSERT ... SELECT copy as they are: 0 in an AUTO_INCREMENT column (the server hands out a new id
/// for it unless NO_AUTO_VALUE_ON_ZERO) and zero dates (refused with 1292 under MySQL 8's default
/// NO_ZERO_DATE). Swap copies, applies and verifies them in a mode of its own, and the migration's
/// own statements run in the session's mode.
/// </summary>
public class MySqlStoredValueTests
{
    /// <summary>MySQL 8.0's and 8.4's default sql_mode.</summary>
    private const string MySql8SqlMode = "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";

    [Theory]
    [InlineData(null)]
    [InlineData(MySql8SqlMode)]
    public async Task A_row_with_id_0_and_a_zero_date_is_swapped_as_stored_while_the_application_writes_it(string? sqlMode)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        // A zero DEFAULT too: MySQL 8's mode refuses it in the copy's CREATE TABLE ... LIKE (1067) unless Swap's mode allows it.
        await CreateCountersAsync(target, 2000, ", e DATE NOT NULL DEFAULT '0000-00-00'");
        EngineKit.WriteSwapScript(target, """
            public sealed class MigrateCounters : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var t = await db.UseTableForAlterAsync("counters");
                    t.AddColumn(DbColumn.String("flag", 10).FillWith("'x'"));
                    await db.DoneUsingTablesAsync("counters");
                    // The script's own statement, after the swap, in the session's mode: 0 asks for a new id.
                    await db.ExecuteAsync("INSERT INTO counters (id, name, d, e, flag) VALUES (0, 'after', NULL, '2022-01-01', 'y')");
                }
            }
            """, "20260101000000_MigrateCounters.cs");
        var database = sqlMode is null ? new MySqlDatabase(target.Url) : new MySqlDatabase(target.Url) { SessionInit = $"SET SESSION sql_mode = '{sqlMode}'" };

        // The application keeps writing the two rows during the swap, so the applier re-syncs them too.
        using var stop = new CancellationTokenSource();
        var writes = 0;
        var writer = Task.Run(async () =>
        {
            await using var c = await target.OpenAsync();
            await c.ExecuteAsync("SET SESSION sql_mode = 'STRICT_TRANS_TABLES'", default);
            while (!stop.IsCancellationRequested)
            {
                writes++;
                await c.ExecuteAsync("UPDATE counters SET name = @n WHERE id IN (0, 1)", new { n = "w" + writes.ToString(CultureInfo.InvariantCulture) }, null, default);
                await Task.Delay(2);
            }
        });
        UpResult result;
        try
        {
            result = await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0, database).UpAsync();
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }

        Assert.Equal(["MigrateCounters"], result.Applied.Select(a => a.Id));
        Assert.True(writes > 1, $"the writer wrote {writes} time(s)");
        var last = "w" + writes.ToString(CultureInfo.InvariantCulture);
        var rows = await target.QueryAsync("SELECT id, name, CAST(d AS CHAR) AS d, flag FROM counters WHERE id IN (0, 1, 2, 2002) ORDER BY id");
        Assert.Equal(
            [$"0|{last}|2020-01-01|x", $"1|{last}|0000-00-00|x", "2|n2|2021-02-03|x", "2002|after||y"],
            rows.Select(r => $"{r.Int64("id")}|{r.String("name")}|{r.String("d")}|{r.String("flag")}"));
        Assert.Equal(2003L, System.Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM counters"), CultureInfo.InvariantCulture));
        Assert.Equal("'0000-00-00'", await target.ScalarAsync("SELECT COLUMN_DEFAULT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'counters' AND COLUMN_NAME = 'e'"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(MySql8SqlMode)]
    public async Task A_revert_puts_back_the_row_with_id_0_and_the_zero_date_as_the_application_left_them(string? sqlMode)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await CreateCountersAsync(target, 500);
        EngineKit.WriteSwapScript(target, """
            public sealed class MigrateCounters : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var t = await db.UseTableForAlterAsync("counters");
                    t.AddColumn(DbColumn.String("flag", 10).FillWith("'x'"));
                    await db.DoneUsingTablesAsync("counters");
                }
            }
            """, "20260101000000_MigrateCounters.cs");
        var database = sqlMode is null ? new MySqlDatabase(target.Url) : new MySqlDatabase(target.Url) { SessionInit = $"SET SESSION sql_mode = '{sqlMode}'" };
        var migrator = EngineKit.Migrator(target, o => { o.Swap.OneTransactionBelowRows = 0; o.Swap.RevertWindow = TimeSpan.FromHours(24); }, database);
        await migrator.UpAsync();
        // The application writes the two rows on the new table; the window logs them for the old one.
        await target.ExecuteAsync("UPDATE counters SET name = 'after-0' WHERE id = 0");
        await target.ExecuteAsync("UPDATE counters SET name = 'after-1' WHERE id = 1");

        await migrator.RevertAsync("MigrateCounters");

        var rows = await target.QueryAsync("SELECT id, name, CAST(d AS CHAR) AS d FROM counters WHERE id IN (0, 1, 2) ORDER BY id");
        Assert.Equal(["0|after-0|2020-01-01", "1|after-1|0000-00-00", "2|n2|2021-02-03"], rows.Select(r => $"{r.Int64("id")}|{r.String("name")}|{r.String("d")}"));
        Assert.Equal(502L, System.Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM counters"), CultureInfo.InvariantCulture));
        Assert.False(await RevertKit.HasColumnAsync(target, "flag", "counters"));
    }

    /// <summary>counters: id 0 ('zero'), id 1 with a zero date ('one'), then ids 2 to <paramref name="rows"/> + 1, written in a mode that lets them in.</summary>
    private static async Task CreateCountersAsync(TestTarget target, int rows, string moreColumns = "")
    {
        await using var c = await target.OpenAsync();
        await c.ExecuteAsync("SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_AUTO_VALUE_ON_ZERO'", default);
        await c.ExecuteAsync($"CREATE TABLE counters (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL, d DATE NULL{moreColumns})", default);
        await c.ExecuteAsync("INSERT INTO counters (id, name, d) VALUES (0, 'zero', '2020-01-01'), (1, 'one', '0000-00-00')", default);
        await c.ExecuteAsync($"INSERT INTO counters (id, name, d) SELECT seq + 1, CONCAT('n', seq + 1), '2021-02-03' FROM seq_1_to_{rows}", default);
    }
}
