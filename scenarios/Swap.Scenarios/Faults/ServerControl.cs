using System.Diagnostics;
using System.Globalization;

namespace Swap.Scenarios.Faults;

/// <summary>
/// Restarts the private test servers exactly as the <c>Databases</c> build target started them:
/// MariaDB with the same command line (read from <c>/proc</c>), detached with <c>setsid</c>;
/// PostgreSQL with <c>pg_ctl restart</c>, which reuses <c>postmaster.opts</c>. Same ports, same
/// data. Restarts are serialized across processes with a lock file, and whatever happens the
/// server is running again when a restart returns or throws.
/// </summary>
public static class ServerControl
{
    private const string PgBin = "/usr/lib/postgresql/15/bin";
    private static readonly SemaphoreSlim Gate = new(1, 1);

    private static string Dir => FaultEnvironment.ServersDir;

    private static string My(string file) => Path.Combine(Dir, "mariadb", file);

    private static string Pg(string file) => Path.Combine(Dir, "postgres", file);

    /// <summary>
    /// Stops and starts the server of <paramref name="engine"/>. <paramref name="crash"/> stops it
    /// like a power cut (MariaDB SIGKILL, PostgreSQL immediate shutdown: crash recovery on start);
    /// otherwise a clean, fast shutdown. Returns when the server accepts connections again.
    /// </summary>
    public static async Task RestartAsync(DatabaseEngine engine, bool crash, Action<string>? log = null)
    {
        await Gate.WaitAsync();
        try
        {
            using var fileLock = await LockFileAsync();
            try
            {
                if (engine == DatabaseEngine.MySql)
                    await RestartMariaDbAsync(crash, log);
                else if (engine == DatabaseEngine.PostgreSql)
                    await RestartPostgresAsync(crash, log);
                else
                    throw new ArgumentException("SQLite has no server to restart.", nameof(engine));
            }
            finally
            {
                await EnsureRunningAsync(engine, log);
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>True when the server of <paramref name="engine"/> answers a ping.</summary>
    public static async Task<bool> AliveAsync(DatabaseEngine engine) => engine switch
    {
        DatabaseEngine.MySql => (await RunAsync("mariadb-admin", ["--no-defaults", "--socket=" + My("mysqld.sock"), "-uroot", "ping"], TimeSpan.FromSeconds(10))).Code == 0,
        DatabaseEngine.PostgreSql => (await RunAsync(Path.Combine(PgBin, "pg_isready"), ["-h", "127.0.0.1", "-p", PostgresPort], TimeSpan.FromSeconds(10))).Code == 0,
        _ => true,
    };

    private static string PostgresPort => File.ReadAllText(Pg("port")).Trim();

    private static async Task RestartMariaDbAsync(bool crash, Action<string>? log)
    {
        var (pid, argv) = MariaDbProcess();
        File.WriteAllLines(My("mariadbd.argv"), argv);
        log?.Invoke($"MariaDB: {(crash ? "SIGKILL" : "SIGTERM")} to pid {pid}");
        await RunCheckedAsync("kill", [crash ? "-KILL" : "-TERM", pid.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        await WaitGoneAsync(pid, TimeSpan.FromSeconds(120));
        StartMariaDb(argv);
        await WaitReadyAsync(DatabaseEngine.MySql, TimeSpan.FromSeconds(180), My("mariadb.log"));
        log?.Invoke("MariaDB: accepting connections again");
    }

    private static async Task RestartPostgresAsync(bool crash, Action<string>? log)
    {
        log?.Invoke($"PostgreSQL: pg_ctl restart -m {(crash ? "immediate" : "fast")}");
        await PgCtlRestartAsync(crash ? "immediate" : "fast");
        await WaitReadyAsync(DatabaseEngine.PostgreSql, TimeSpan.FromSeconds(180), Pg("postgres.log"));
        log?.Invoke("PostgreSQL: accepting connections again");
    }

    /// <summary>After a failed restart: start the server again the same way, if it is not running.</summary>
    private static async Task EnsureRunningAsync(DatabaseEngine engine, Action<string>? log)
    {
        if (await AliveAsync(engine))
            return;
        log?.Invoke($"{engine}: not answering after the restart; starting it again");
        if (engine == DatabaseEngine.MySql)
        {
            if (!MariaDbRunning() && File.Exists(My("mariadbd.argv")))
                StartMariaDb(File.ReadAllLines(My("mariadbd.argv")));
        }
        else
        {
            // pg_ctl restart starts a stopped server with the options of its last start (postmaster.opts).
            await PgCtlRestartAsync("fast");
        }
        await WaitReadyAsync(engine, TimeSpan.FromSeconds(180), engine == DatabaseEngine.MySql ? My("mariadb.log") : Pg("postgres.log"));
    }

    private static (int Pid, string[] Argv) MariaDbProcess()
    {
        var pid = int.Parse(File.ReadAllText(My("mariadbd.pid")).Trim(), CultureInfo.InvariantCulture);
        var cmdline = $"/proc/{pid}/cmdline";
        var argv = File.Exists(cmdline) ? File.ReadAllText(cmdline).Split('\0', StringSplitOptions.RemoveEmptyEntries) : [];
        if (!argv.Any(a => a.Contains(My("data").TrimEnd('/'), StringComparison.Ordinal)))
            throw new InvalidOperationException($"pid {pid} from {My("mariadbd.pid")} is not the private MariaDB of {Dir}; not touching it.");
        return (pid, argv);
    }

    private static bool MariaDbRunning()
    {
        try
        {
            MariaDbProcess();
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    private static void StartMariaDb(string[] argv)
    {
        // As the Databases target does: setsid and redirected stdio, so the server outlives us and holds none of our pipes.
        var quoted = string.Join(' ', argv.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var psi = new ProcessStartInfo("bash") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"setsid {quoted} >>'{My("mariadb.console.log")}' 2>&1 </dev/null &");
        using var p = Process.Start(psi)!;
        p.WaitForExit();
    }

    private static async Task PgCtlRestartAsync(string mode)
    {
        var args = new[] { "restart", "-D", Pg("data"), "-m", mode, "-w", "-t", "120", "-l", Pg("postgres.log") };
        var pgCtl = Path.Combine(PgBin, "pg_ctl");
        var (code, output) = Environment.UserName == "root"
            ? await RunAsync("runuser", ["-u", "postgres", "--", pgCtl, .. args], TimeSpan.FromSeconds(180))
            : await RunAsync(pgCtl, args, TimeSpan.FromSeconds(180));
        if (code != 0)
            throw new InvalidOperationException($"pg_ctl restart -m {mode} exited with {code}: {output}");
    }

    private static async Task WaitReadyAsync(DatabaseEngine engine, TimeSpan timeout, string log)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (await AliveAsync(engine))
                return;
            await Task.Delay(200);
        }
        var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "(no log)";
        throw new InvalidOperationException($"{engine} did not accept connections within {timeout.TotalSeconds:0}s after the restart. Last lines of {log}:\n{tail}");
    }

    private static async Task WaitGoneAsync(int pid, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (Running(pid) && watch.Elapsed < timeout)
            await Task.Delay(100);
        if (Running(pid))
            throw new InvalidOperationException($"Server pid {pid} did not stop within {timeout.TotalSeconds:0}s.");
    }

    /// <summary>True while the process lives; an exited process its parent has not reaped yet (a zombie) does not.</summary>
    private static bool Running(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0] != "Z";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>One restart at a time across every process that shares the servers.</summary>
    private static async Task<FileStream> LockFileAsync()
    {
        var path = Path.Combine(Dir, "restart.lock");
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (watch.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(250);
            }
        }
    }

    private static async Task RunCheckedAsync(string file, string[] args, TimeSpan timeout)
    {
        var (code, output) = await RunAsync(file, args, timeout);
        if (code != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {code}: {output}");
    }

    /// <summary>Runs a tool with its output in a file (a server it starts may inherit and keep our pipes).</summary>
    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, TimeSpan timeout)
    {
        var outputFile = Path.GetTempFileName();
        try
        {
            var psi = new ProcessStartInfo("bash") { UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("\"$@\" >\"$SWAP_FAULT_OUT\" 2>&1 </dev/null");
            psi.ArgumentList.Add("run");
            psi.ArgumentList.Add(file);
            foreach (var a in args)
                psi.ArgumentList.Add(a);
            psi.Environment["SWAP_FAULT_OUT"] = outputFile;
            using var p = Process.Start(psi)!;
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await p.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                return (-1, $"timed out after {timeout.TotalSeconds:0}s");
            }
            return (p.ExitCode, await File.ReadAllTextAsync(outputFile));
        }
        finally
        {
            File.Delete(outputFile);
        }
    }
}
