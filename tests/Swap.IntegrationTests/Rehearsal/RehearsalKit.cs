using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Swap.Data;
using Swap.IntegrationTests.Infrastructure;
using Swap.MySql;
using Swap.PostgreSql;

namespace Swap.IntegrationTests.Rehearsal;

/// <summary>Databases, scripts and readers the rehearsal tests share.</summary>
internal static class RehearsalKit
{
    public const string AddNote = "ALTER TABLE items ADD COLUMN note VARCHAR(50);\nUPDATE items SET note = 'n';\n";

    public const string IndexNote = """
        using Swap.Engine;

        public sealed class MigrateIndexNote : Migration
        {
            public MigrateIndexNote() => ExecuteAfter("20261201000000_add_note");

            public override async Task UpAsync(MigrationContext db)
            {
                var items = await db.UseTableForAlterAsync("items");
                items.AddIndex(DbIndex.Create("note"));
                // The rehearsal tests record a copy-and-swap; an index alone would be built in place.
                items.ForceCopy();
                await db.DoneUsingTablesAsync("items");
            }
        }
        """;

    /// <summary>A folder with the two scripts every rehearsal test runs: a SQL script and a C# table swap.</summary>
    public static Scratch Migrations()
    {
        var scratch = new Scratch(Directory.CreateTempSubdirectory("swap-rehearse-").FullName);
        Directory.CreateDirectory(Path.Combine(scratch.Path, "migrations"));
        File.WriteAllText(Path.Combine(scratch.Path, "migrations", "20261201000000_add_note.sql"), AddNote);
        File.WriteAllText(Path.Combine(scratch.Path, "migrations", "20261201000001_IndexNote.cs"), IndexNote);
        return scratch;
    }

    public const string CreateItems = "CREATE TABLE items (id INT NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL)";

    /// <summary>Inserts rows 1..<paramref name="rows"/> in one statement per 100 rows.</summary>
    public static async Task FillItemsAsync(DbConnection connection, int rows)
    {
        await connection.ExecuteAsync(CreateItems, default);
        for (var start = 1; start <= rows; start += 100)
        {
            var values = string.Join(", ", Enumerable.Range(start, Math.Min(100, rows - start + 1)).Select(i => $"({i}, 'item {i}')"));
            await connection.ExecuteAsync($"INSERT INTO items (id, name) VALUES {values}", default);
        }
    }

    public static async Task<DbConnection> SqliteAsync(string path)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await c.OpenAsync();
        return c;
    }

    /// <summary>Everything a database holds that a rehearsal must not change: tables, columns, rows.</summary>
    public static async Task<List<string>> SnapshotAsync(DbConnection connection, DatabaseEngine engine)
    {
        var tables = engine switch
        {
            DatabaseEngine.Sqlite => "SELECT name AS t FROM sqlite_master WHERE type IN ('table', 'index', 'trigger') AND name NOT LIKE 'sqlite_%' ORDER BY name",
            DatabaseEngine.PostgreSql => "SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1",
            _ => "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1",
        };
        var columns = engine switch
        {
            DatabaseEngine.Sqlite => "SELECT name || ' ' || type AS t FROM pragma_table_info('items') ORDER BY cid",
            DatabaseEngine.PostgreSql => "SELECT column_name || ' ' || data_type AS t FROM information_schema.columns WHERE table_name = 'items' ORDER BY ordinal_position",
            _ => "SELECT CONCAT(COLUMN_NAME, ' ', DATA_TYPE) AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' ORDER BY ORDINAL_POSITION",
        };
        var rows = engine == DatabaseEngine.MySql ? "SELECT CONCAT(id, '=', name) AS t FROM items ORDER BY id" : "SELECT id || '=' || name AS t FROM items ORDER BY id";
        var all = new List<string>();
        foreach (var sql in new[] { tables, columns, rows })
            all.AddRange((await connection.QueryAsync(sql, null, default)).Select(r => Convert.ToString(r[0], System.Globalization.CultureInfo.InvariantCulture)!));
        return all;
    }

    public static async Task<List<string>> HistoryAsync(DbConnection connection) =>
        (await connection.QueryAsync("SELECT script_id, status FROM swap_history ORDER BY apply_order", null, default)).Select(r => r.String("script_id") + ":" + r.String("status")).ToList();

    public static JsonElement ReadJson(string reportFolder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(reportFolder, "rehearsal.json"))).RootElement;

    /// <summary>The three report files, for leak checks.</summary>
    public static string AllReportText(string reportFolder) =>
        string.Concat(new[] { "rehearsal.md", "rehearsal.json", "rehearsal.html" }.Select(f => File.ReadAllText(Path.Combine(reportFolder, f))));

    /// <summary>The two scripts ran: items is as plan promised, and status on staging is what it will be on production after up.</summary>
    public static void AssertAsPlannedAndAsProductionWillBe(JsonElement report, string basis)
    {
        var check = Assert.Single(report.GetProperty("schemaChecks").EnumerateArray());
        Assert.Equal(("items", "MigrateIndexNote", "matches"), (check.GetProperty("table").GetString(), check.GetProperty("script").GetString(), check.GetProperty("outcome").GetString()));
        Assert.Empty(check.GetProperty("differences").EnumerateArray());
        var status = report.GetProperty("status");
        Assert.Equal(basis, status.GetProperty("basis").GetString());
        Assert.Equal(["20261201000000_add_note: applied", "MigrateIndexNote: applied"], status.GetProperty("staging").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(status.GetProperty("differences").EnumerateArray());
    }

    public static string[] Ids(JsonElement report) =>
        report.GetProperty("scripts").EnumerateArray().Select(s => s.GetProperty("id").GetString()! + ":" + s.GetProperty("outcome").GetString()).ToArray();

    public static PostgresServer Postgres => new(TestServers.Postgres);

    public static MySqlDatabase MySqlServer => new(TestServers.MySql);
}

/// <summary>Whole PostgreSQL databases on the test server (a TEMPLATE clone needs databases, not schemas).</summary>
internal sealed class PostgresServer(DatabaseUrl server)
{
    public DatabaseUrl Server { get; } = server;

    public string Url(string database, string? user = null, string? password = null) =>
        $"postgres://{user ?? Server.User}:{password ?? Server.Password}@{Server.Host}:{Server.Port}/{database}";

    public Task<DbConnection> OpenAsync(string database, string? user = null, string? password = null) =>
        new PostgresDatabase(DatabaseUrl.Parse(Url(database, user, password))).OpenConnectionAsync(default);

    public async Task ExecuteAsync(string sql)
    {
        await using var c = await new PostgresDatabase(Server).OpenConnectionAsync(default);
        await c.ExecuteAsync(sql, default);
    }

    public async Task<bool> DatabaseExistsAsync(string name)
    {
        await using var c = await new PostgresDatabase(Server).OpenConnectionAsync(default);
        return await c.ScalarAsync("SELECT 1 FROM pg_database WHERE datname = @name", new { name }, null, default) is not null;
    }

    /// <summary>CREATE DATABASE, again after a moment when another session is copying the template at the same time (SQLSTATE 55006).</summary>
    public async Task CreateDatabaseAsync(string database)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync($"CREATE DATABASE \"{database}\"");
                return;
            }
            catch (SwapException e) when (attempt < 10 && e.SqlState == "55006")
            {
                await Task.Delay(500 * attempt);
            }
            catch (Npgsql.PostgresException e) when (attempt < 10 && e.SqlState == "55006")
            {
                await Task.Delay(500 * attempt);
            }
        }
    }

    public Task DropAsync(string database) => ExecuteAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
}

/// <summary>A test's scratch folder (migrations, SQLite files, reports), deleted at the end.</summary>
internal sealed class Scratch(string path) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
