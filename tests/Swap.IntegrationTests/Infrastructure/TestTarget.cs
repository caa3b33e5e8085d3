using System.Data.Common;
using Swap.Cli;
using Swap.Data;
using Swap.Dialects;
using Swap.PostgreSql;
using Swap.Sqlite;

namespace Swap.IntegrationTests.Infrastructure;

/// <summary>
/// A private target on a real engine for one test: a fresh SQLite file, a fresh PostgreSQL schema,
/// or a fresh MariaDB database. Dropped when the test ends.
/// </summary>
public sealed class TestTarget : IAsyncDisposable
{
    private readonly Func<Task> drop;

    private TestTarget(DatabaseEngine engine, DatabaseUrl url, string name, Func<Task> drop)
    {
        Engine = engine;
        Url = url;
        Name = name;
        this.drop = drop;
        Folder = Directory.CreateTempSubdirectory("swap-test-").FullName;
    }

    public DatabaseEngine Engine { get; }

    /// <summary>The URL the CLI takes (with password).</summary>
    public DatabaseUrl Url { get; }

    /// <summary>The database, schema or file name.</summary>
    public string Name { get; }

    /// <summary>A scratch folder for migrations and files of this test.</summary>
    public string Folder { get; }

    public string UrlText => Engine switch
    {
        DatabaseEngine.Sqlite => "sqlite:" + Url.Database,
        DatabaseEngine.PostgreSql => $"postgres://{Url.User}:{Url.Password}@{Url.Host}:{Url.Port}/{Url.Database}?schema={Name}",
        _ => $"mysql://{Url.User}:{Url.Password}@{Url.Host}:{Url.Port}/{Url.Database}",
    };

    public SwapDatabase Database() => Databases.Open(Url);

    public static Task<TestTarget> CreateAsync(DatabaseEngine engine) => CreateAsync(engine, UniqueName.Next("s"));

    /// <summary>A target the test replica applies: the MariaDB replica replicates only databases named swapr* (the PostgreSQL standby replicates everything).</summary>
    public static Task<TestTarget> CreateReplicatedAsync(DatabaseEngine engine) => CreateAsync(engine, UniqueName.Next("swapr"));

    private static async Task<TestTarget> CreateAsync(DatabaseEngine engine, string name)
    {
        switch (engine)
        {
            case DatabaseEngine.Sqlite:
            {
                var path = Path.Combine(Path.GetTempPath(), name + ".db");
                return new TestTarget(engine, DatabaseUrl.Parse("sqlite:" + path), path, () =>
                {
                    foreach (var f in new[] { path, path + "-journal", path + "-wal", path + "-shm", path + ".swap-lock" })
                        File.Delete(f);
                    return Task.CompletedTask;
                });
            }
            case DatabaseEngine.PostgreSql:
            {
                var server = TestServers.Postgres;
                await using (var admin = await new PostgresDatabase(server).OpenConnectionAsync(default))
                    await admin.ExecuteAsync($"CREATE SCHEMA \"{name}\"", default);
                var url = DatabaseUrl.Parse($"postgres://{server.User}:{server.Password}@{server.Host}:{server.Port}/{server.Database}?schema={name}");
                return new TestTarget(engine, url, name, async () =>
                {
                    await using var admin = await new PostgresDatabase(server).OpenConnectionAsync(default);
                    await admin.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{name}\" CASCADE", default);
                });
            }
            default:
                return await MySqlTarget.CreateAsync(name, (url, n, d) => new TestTarget(DatabaseEngine.MySql, url, n, d));
        }
    }

    /// <summary>A raw connection to the target, for arranging and asserting.</summary>
    public Task<DbConnection> OpenAsync() => Database().OpenConnectionAsync(CancellationToken.None);

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var c = await OpenAsync();
        await c.ExecuteAsync(sql, parameters, null, CancellationToken.None);
    }

    public async Task<List<Row>> QueryAsync(string sql, object? parameters = null)
    {
        await using var c = await OpenAsync();
        return await c.QueryAsync(sql, parameters, CancellationToken.None);
    }

    public async Task<object?> ScalarAsync(string sql, object? parameters = null)
    {
        await using var c = await OpenAsync();
        return await c.ScalarAsync(sql, parameters, null, CancellationToken.None);
    }

    /// <summary>Writes a file under the scratch folder and returns its path.</summary>
    public string WriteFile(string relativePath, string content)
    {
        var path = Path.Combine(Folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await drop();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
