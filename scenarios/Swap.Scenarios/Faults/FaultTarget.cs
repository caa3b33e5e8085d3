using System.Data.Common;
using System.Globalization;
using Swap.Dialects;
using Swap.MySql;
using Swap.PostgreSql;
using Swap.Sqlite;

namespace Swap.Scenarios.Faults;

/// <summary>
/// A private target for one fault trial: a fresh SQLite file, PostgreSQL schema or MariaDB
/// database, with a scratch folder for its migrations. The harness's own connections (writer,
/// probes, lock holders) are told apart from Swap's, so server-side kills hit only Swap: on
/// PostgreSQL by application name, on MariaDB by connection id.
/// </summary>
public sealed class FaultTarget : IAsyncDisposable
{
    /// <summary>The PostgreSQL application name of the harness's own sessions.</summary>
    public const string HarnessApplication = "swap-fault-harness";

    private static int counter;
    private readonly HashSet<long> harnessConnections = [];
    private readonly DatabaseUrl server;

    private FaultTarget(DatabaseEngine engine, string name, DatabaseUrl server, string folder)
    {
        Engine = engine;
        Name = name;
        this.server = server;
        Folder = folder;
        Harness = engine switch
        {
            DatabaseEngine.Sqlite => new SqliteDatabase(SqlitePath),
            DatabaseEngine.PostgreSql => new PostgresDatabase(DatabaseUrl.Parse(PostgresUrl(HarnessApplication))),
            _ => new MySqlDatabase(DatabaseUrl.Parse(MySqlUrl())),
        };
    }

    public DatabaseEngine Engine { get; }

    /// <summary>The schema (PostgreSQL), database (MariaDB) or file stem (SQLite).</summary>
    public string Name { get; }

    /// <summary>Scratch folder: <c>migrations/</c> lives here, and the CLI runs here.</summary>
    public string Folder { get; }

    public string MigrationsFolder => Path.Combine(Folder, "migrations");

    /// <summary>The harness's view of the target (writer, probes, checks).</summary>
    public SwapDatabase Harness { get; }

    /// <summary>The PostgreSQL application name of the <c>swap</c> processes of this target.</summary>
    public string SwapApplication => "swapcli-" + Name;

    public string SqlitePath => Path.Combine(Folder, Name + ".db");

    /// <summary>The URL the <c>swap</c> command gets (with the password: it is what an operator passes).</summary>
    public string UrlText => Engine switch
    {
        DatabaseEngine.Sqlite => "sqlite:" + SqlitePath,
        DatabaseEngine.PostgreSql => PostgresUrl(SwapApplication),
        _ => MySqlUrl(),
    };

    /// <summary>The password in <see cref="UrlText"/>, for leak checks (null on SQLite).</summary>
    public string? Password => Engine == DatabaseEngine.Sqlite ? null : server.Password;

    public static async Task<FaultTarget> CreateAsync(DatabaseEngine engine, CancellationToken cancellationToken = default)
    {
        var name = $"f_{Environment.ProcessId % 100000}_{Interlocked.Increment(ref counter)}_{Guid.NewGuid().ToString("N")[..6]}";
        var folder = Directory.CreateTempSubdirectory("swap-fault-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "migrations"));
        switch (engine)
        {
            case DatabaseEngine.Sqlite:
            {
                var url = DatabaseUrl.Parse("sqlite:" + Path.Combine(folder, name + ".db"));
                if (FaultEnvironment.SqliteWal)
                {
                    // Persistent in the file: every connection of the trial, Swap's included, uses WAL.
                    await using var c = await new SqliteDatabase(url).OpenConnectionAsync(cancellationToken);
                    await Db.ExecAsync(c, "PRAGMA journal_mode = WAL", cancellationToken);
                }
                return new FaultTarget(engine, name, url, folder);
            }
            case DatabaseEngine.PostgreSql:
            {
                var server = FaultEnvironment.Postgres;
                await using (var admin = await new PostgresDatabase(server).OpenConnectionAsync(cancellationToken))
                    await Db.ExecAsync(admin, $"CREATE SCHEMA \"{name}\"", cancellationToken);
                return new FaultTarget(engine, name, server, folder);
            }
            case DatabaseEngine.MySql:
            {
                var server = FaultEnvironment.MySql;
                await using (var admin = await new MySqlDatabase(server).OpenConnectionAsync(cancellationToken))
                    await Db.ExecAsync(admin, $"CREATE DATABASE `{name}` CHARACTER SET utf8mb4", cancellationToken);
                return new FaultTarget(engine, name, server, folder);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(engine), engine, null);
        }
    }

    /// <summary>Quotes an identifier for this engine (harness SQL only; names are the harness's own).</summary>
    public string Quote(string identifier) => Harness.Dialect.Quote(identifier);

    /// <summary>Opens a harness connection; on MariaDB its id is remembered so kills spare it.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = await Harness.OpenConnectionAsync(cancellationToken);
        if (Engine == DatabaseEngine.MySql)
        {
            var id = Convert.ToInt64(await Db.ScalarAsync(connection, "SELECT CONNECTION_ID()", cancellationToken), CultureInfo.InvariantCulture);
            lock (harnessConnections)
                harnessConnections.Add(id);
        }
        return connection;
    }

    /// <summary>MariaDB connection ids the harness opened (never killed by the harness).</summary>
    public IReadOnlyCollection<long> HarnessConnectionIds
    {
        get
        {
            lock (harnessConnections)
                return harnessConnections.ToList();
        }
    }

    /// <summary>Writes a migration file into <see cref="MigrationsFolder"/>.</summary>
    public string WriteMigration(string fileName, string text)
    {
        var path = Path.Combine(MigrationsFolder, fileName);
        File.WriteAllText(path, text);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            switch (Engine)
            {
                case DatabaseEngine.PostgreSql:
                {
                    await using var admin = await new PostgresDatabase(server).OpenConnectionAsync(default);
                    await Db.ExecAsync(admin, $"DROP SCHEMA IF EXISTS \"{Name}\" CASCADE", default);
                    break;
                }
                case DatabaseEngine.MySql:
                {
                    await using var admin = await new MySqlDatabase(server).OpenConnectionAsync(default);
                    await Db.ExecAsync(admin, $"DROP DATABASE IF EXISTS `{Name}`", default);
                    break;
                }
            }
        }
        finally
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private string PostgresUrl(string application) =>
        $"postgres://{Uri.EscapeDataString(server.User!)}:{Uri.EscapeDataString(server.Password!)}@{server.Host}:{server.Port}/{server.Database}?schema={Name}&application_name={application}";

    private string MySqlUrl() =>
        $"mysql://{Uri.EscapeDataString(server.User!)}:{Uri.EscapeDataString(server.Password!)}@{server.Host}:{server.Port}/{Name}";
}
