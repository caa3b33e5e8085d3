
namespace Swap.Scenarios.Faults;

/// <summary>
/// Where the fault harness finds its servers and the <c>swap</c> command: the variables the
/// <c>Databases</c> build target writes to <c>servers.env</c>, and the built CLI.
/// </summary>
public static class FaultEnvironment
{
    /// <summary>
    /// <c>--sqlite-wal</c>: each SQLite target file is put in WAL mode before its table is made
    /// (default: SQLite's own rollback journal, the harder case for the cut-over's lock).
    /// </summary>
    public static bool SqliteWal { get; set; }

    public static DatabaseUrl MySql => Url("SWAP_TEST_MYSQL", "MariaDB");

    public static DatabaseUrl Postgres => Url("SWAP_TEST_POSTGRES", "PostgreSQL");

    /// <summary>
    /// Null when the servers of <paramref name="engines"/> and the <c>swap</c> command can be
    /// found; else what is missing and what to do, before any trial starts.
    /// </summary>
    public static string? Missing(IEnumerable<DatabaseEngine> engines)
    {
        try
        {
            foreach (var engine in engines)
            {
                _ = engine switch
                {
                    DatabaseEngine.MySql => MySql.ToString(),
                    DatabaseEngine.PostgreSql => Postgres.ToString(),
                    _ => "",
                };
            }
            _ = CliDll;
            return null;
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
    }

    /// <summary>The folder of the private servers (data, sockets, logs, pid files).</summary>
    public static string ServersDir =>
        Environment.GetEnvironmentVariable("SWAP_TEST_SERVERS_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Path.GetTempPath(), "swap-servers");

    /// <summary>
    /// The built <c>swap</c> command: <c>SWAP_CLI_DLL</c> if set, else a <c>Swap.Cli.dll</c> next
    /// to this assembly (test projects copy it there), else the one under <c>src/Swap.Cli/bin</c>
    /// in the configuration this assembly was built in.
    /// </summary>
    public static string CliDll
    {
        get
        {
            if (Environment.GetEnvironmentVariable("SWAP_CLI_DLL") is { Length: > 0 } set)
                return File.Exists(set) ? set : throw new InvalidOperationException($"SWAP_CLI_DLL names '{set}', which does not exist.");
            var here = Path.Combine(AppContext.BaseDirectory, "Swap.Cli.dll");
            if (File.Exists(here))
                return here;
            var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = baseDir.Parent?.Name ?? "Release";
            var built = Path.Combine(RepositoryRoot, "src", "Swap.Cli", "bin", configuration, baseDir.Name, "Swap.Cli.dll");
            return File.Exists(built)
                ? built
                : throw new InvalidOperationException($"The swap command is not built ({built} is missing). Run 'dotnet build Swap.sln -c {configuration}' first.");
        }
    }

    /// <summary>The folder holding <c>Swap.sln</c>, found upwards from this assembly.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Swap.sln")))
                    return d.FullName;
            }
            throw new InvalidOperationException($"No Swap.sln above {AppContext.BaseDirectory}.");
        }
    }

    private static DatabaseUrl Url(string variable, string server)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{variable} is not set, so the fault harness cannot reach {server}. Start the servers with " +
                "'dotnet cake --target=Databases' and 'source /tmp/swap-servers/servers.env', or run 'dotnet cake --target=Faults'.");
        }
        return DatabaseUrl.Parse(value);
    }
}
