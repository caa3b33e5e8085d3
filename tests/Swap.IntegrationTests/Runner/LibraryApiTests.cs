using Microsoft.Extensions.Logging;
using Swap.Data;
using Swap.IntegrationTests.Infrastructure;
using Swap.MySql;
using Swap.PostgreSql;
using Swap.Sqlite;

namespace Swap.IntegrationTests.Runner;

/// <summary>Swap as a library: one factory from a URL, and the host's logger given to the migrator.</summary>
public class LibraryApiTests
{
    [Fact]
    public async Task One_factory_opens_each_engine_from_its_url()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        var cases = new (SwapDatabase Database, Type Expected)[]
        {
            (SwapDatabase.Open(TestServers.MySql), typeof(MySqlDatabase)),
            (SwapDatabase.Open(TestServers.Postgres), typeof(PostgresDatabase)),
            (SwapDatabase.Open("sqlite:" + Path.Combine(target.Folder, "library.db")), typeof(SqliteDatabase)),
        };
        foreach (var (database, expected) in cases)
        {
            Assert.IsType(expected, database);
            await using var connection = await database.OpenConnectionAsync(default);
            Assert.Equal(1L, Convert.ToInt64(await connection.ScalarAsync("SELECT 1", default), System.Globalization.CultureInfo.InvariantCulture));
        }

        var unknown = Assert.Throws<SwapException>(() => SwapDatabase.Open("oracle://u:p@host/db"));
        Assert.Equal(SwapErrorKind.Usage, unknown.Kind);
        Assert.Contains("oracle", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_migrator_logs_through_the_logger_factory_it_is_given_even_when_the_database_has_none()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        target.WriteFile(Path.Combine("migrations", "20260101000000_MigrateCreateNotes.sql"), "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n");
        var logs = new ListLoggerFactory();
        var options = new MigratorOptions { LoggerFactory = logs };
        options.Sources.Add(MigrationSource.Folder(Path.Combine(target.Folder, "migrations")));
        var migrator = new Migrator(SwapDatabase.Open("sqlite:" + Path.Combine(target.Folder, "app.db")), options);

        var result = await migrator.UpAsync();

        Assert.Equal(["20260101000000_MigrateCreateNotes"], result.Applied.Select(a => a.Id));
        Assert.Contains(logs.Lines, l => l.StartsWith("Swap.Migrator Information Applied 20260101000000_MigrateCreateNotes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Progress_given_to_the_migrator_arrives_in_order()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await Engine.EngineKit.CreateItemsAsync(target, 3000);
        Engine.EngineKit.WriteSwapScript(target);
        var seen = new List<SwapProgress>();
        await Engine.EngineKit.Migrator(target, o => o.OnProgress = seen.Add).UpAsync();

        // Phases only move forward, and within the copy the rows copied never go back.
        Assert.Equal(seen.Select(p => p.Phase).Order(), seen.Select(p => p.Phase));
        var copied = seen.Where(p => p.Phase == SwapPhase.Copying).Select(p => p.RowsCopied).ToList();
        Assert.True(copied.Count > 3, "the copy must have reported several chunks, or this test proves nothing");
        Assert.Equal(copied.Order(), copied);
        Assert.Equal(SwapPhase.Done, seen[^1].Phase);
    }
}
