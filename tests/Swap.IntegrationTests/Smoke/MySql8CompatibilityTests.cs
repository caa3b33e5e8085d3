using Swap.Data;
using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;
using Swap.MySql;

namespace Swap.IntegrationTests.Smoke;

/// <summary>
/// What of MySQL 8's behaviour can be tried on the MariaDB here: its default sql_mode, and that
/// the settings only MySQL 8 has are not sent to MariaDB. (No MySQL 8 server runs here; see the
/// "MySQL 8" section of docs/operating-online-swaps.md for what is untested.)
/// </summary>
public class MySql8CompatibilityTests
{
    /// <summary>MySQL 8.0's and 8.4's default sql_mode.</summary>
    private const string MySql8SqlMode = "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";

    [Fact]
    public async Task A_swap_with_a_new_unique_index_runs_under_MySQL_8_s_default_sql_mode()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 600);
        // The duplicate check of a new unique index groups by its columns (ONLY_FULL_GROUP_BY applies).
        EngineKit.WriteSwapScript(target, """
            public sealed class MigrateItems : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var items = await db.UseTableForAlterAsync("items");
                    items.AddColumn(DbColumn.String("flag", 10).FillWith("CASE WHEN k % 2 = 0 THEN 'even' ELSE 'odd' END"), after: "k");
                    items.AddIndex(DbIndex.Unique("v"));
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """);
        var database = new MySqlDatabase(target.Url) { SessionInit = $"SET SESSION sql_mode = '{MySql8SqlMode}'" };
        await using (var probe = await database.OpenConnectionAsync(default))
            Assert.Contains("ONLY_FULL_GROUP_BY", (string)(await probe.ScalarAsync("SELECT @@SESSION.sql_mode", default))!, StringComparison.Ordinal);

        var result = await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0, database).UpAsync();

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        var items = await EngineKit.ReadItemsAsync(target);
        OracleWriter.AssertMatches(EngineKit.InitialItems(600), new HashSet<long>(), items);
        Assert.All(items, r => Assert.Equal(EngineKit.Flag(r.K), r.Flag));
        Assert.Equal(0L, await target.ScalarAsync("SELECT NON_UNIQUE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND COLUMN_NAME = 'v'"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task MariaDB_says_what_it_is_so_MySQL_8_s_statistics_setting_is_not_sent()
    {
        var database = new MySqlDatabase(TestServers.MySql);
        await using var connection = await database.OpenConnectionAsync(default);

        Assert.Contains("MariaDB", connection.ServerVersion, StringComparison.Ordinal);
        Assert.False(MySqlDatabase.CachesTableStatistics(connection.ServerVersion));
        // The session works as set up: MariaDB has no information_schema_stats_expiry, and setting it would fail (1193).
        var unknown = await Assert.ThrowsAnyAsync<Exception>(() => connection.ExecuteAsync("SET SESSION information_schema_stats_expiry = 0", default));
        Assert.Equal(MySqlConnector.MySqlErrorCode.UnknownSystemVariable, MySqlDatabase.Code(unknown));
    }
}
