using System.Globalization;
using Swap.Data;

namespace Swap.Generating;

/// <summary>
/// An empty database made for one <c>swap generate</c> against the written migrations, and removed
/// afterwards: a temporary SQLite file, or a database (MySQL) or schema (PostgreSQL) of its own on
/// the shadow server. Swap drops only what it created here.
/// </summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly SwapDatabase? server;
    private readonly string name;
    private readonly string? file;

    private ScratchDatabase(SwapDatabase database, SwapDatabase? server, string name, string? file)
    {
        Database = database;
        this.server = server;
        this.name = name;
        this.file = file;
    }

    /// <summary>The scratch database, empty when made.</summary>
    public SwapDatabase Database { get; }

    /// <summary>
    /// Makes the scratch: on the server <paramref name="shadow"/> names, or, without one, a temporary
    /// SQLite file when <paramref name="engine"/> is SQLite.
    /// </summary>
    public static async Task<ScratchDatabase> CreateAsync(DatabaseEngine engine, DatabaseUrl? shadow, TimeProvider time, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var name = "swap_generate_" + time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];
        if (shadow is null)
        {
            if (engine != DatabaseEngine.Sqlite)
            {
                throw new SwapException(
                    SwapErrorKind.Usage,
                    $"Comparing with the written migrations on {engine.ProductName()} needs a server to replay them on: give --shadow <url> (a {engine.ProductName()} server and database where Swap may create and drop a scratch {(engine == DatabaseEngine.MySql ? "database" : "schema")}; a development server, never production). Nothing was written.");
            }
            var path = Path.Combine(Path.GetTempPath(), name + ".db");
            return new ScratchDatabase(SwapDatabase.Open(DatabaseUrl.Parse("sqlite:" + path), loggerFactory), null, name, path);
        }
        if (shadow.Engine != engine)
            throw new SwapException(SwapErrorKind.Usage, $"--shadow is a {shadow.Engine.ProductName()} URL, but the migrations are generated for {engine.ProductName()}; give a {engine.ProductName()} server. Nothing was written.");
        if (engine == DatabaseEngine.Sqlite)
        {
            // A SQLite shadow names a folder's file: the scratch is a new file next to it.
            var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(shadow.Database)) ?? Path.GetTempPath(), name + ".db");
            return new ScratchDatabase(SwapDatabase.Open(DatabaseUrl.Parse("sqlite:" + path), loggerFactory), null, name, path);
        }
        var admin = SwapDatabase.Open(shadow, loggerFactory);
        await using (var connection = await admin.OpenConnectionAsync(cancellationToken))
        {
            try
            {
                await connection.ExecuteAsync(admin.Dialect.CreateScratchSql(name)!, cancellationToken);
            }
            catch (Exception e) when (admin.IsDatabaseError(e))
            {
                throw admin.Translate(e, $"creating the scratch {name} on {admin.DisplayName} (--shadow) to replay the migrations in; the shadow's user needs the right to create it");
            }
        }
        return new ScratchDatabase(SwapDatabase.Open(admin.Dialect.ScratchUrl(shadow, name), loggerFactory), admin, name, null);
    }

    /// <summary>Drops the scratch and everything the replay made in it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (file is not null)
        {
            foreach (var f in new[] { file, file + "-wal", file + "-shm", file + "-journal", file + ".swap-lock" })
                File.Delete(f);
            return;
        }
        await using var connection = await server!.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync(server.Dialect.DropScratchSql(name)!, CancellationToken.None);
    }
}
