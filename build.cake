// Swap build script. Run with: dotnet tool restore && dotnet cake --target=<Target>
//
// Targets: Build, Databases, Stop, Test, UnitTest, IntegrationTest, Pack, Demo, Bench, Faults.
// Databases installs (apt-get, as root) and starts private MariaDB 10.11 and PostgreSQL 15
// servers on 127.0.0.1, with data and sockets under a temporary folder; it never touches a
// server or port it did not start.

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");
var testFilter = Argument("filter", "");
var root = MakeAbsolute(Directory(".")).FullPath;
var artifacts = System.IO.Path.Combine(root, "artifacts");
var serversDir = EnvironmentVariable("SWAP_SERVERS_DIR")
    ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "swap-servers");

// Builds never leave MSBuild worker nodes behind holding the caller's pipes open.
System.Environment.SetEnvironmentVariable("MSBUILDDISABLENODEREUSE", "1");
System.Environment.SetEnvironmentVariable("DOTNET_CLI_TELEMETRY_OPTOUT", "1");
System.Environment.SetEnvironmentVariable("DOTNET_NOLOGO", "1");

Servers servers = null;

Task("Build")
    .Does(() =>
{
    Sh.Run("dotnet", new[] { "build", System.IO.Path.Combine(root, "Swap.sln"), "-c", configuration, "-nodeReuse:false", "-v", "minimal" }, timeoutSeconds: 900);
});

Task("Databases")
    .Description("Install if missing, then start (or reuse) private MariaDB and PostgreSQL servers on loopback.")
    .Does(() =>
{
    servers = new Servers(serversDir) { AutoIncInterleaved = HasArgument("mariadb-autoinc-interleaved"), Durable = HasArgument("durable") };
    servers.EnsureInstalled();
    servers.StartAll();
    Information("MariaDB    : {0}", Servers.Redact(servers.MySqlUrl));
    Information("PostgreSQL : {0}", Servers.Redact(servers.PostgresUrl));
    Information("Replicas   : MariaDB replica on 127.0.0.1:{0} (databases swapr*), PostgreSQL standby on 127.0.0.1:{1}", servers.ReplicaPort, servers.StandbyPort);
    Information("Environment for manual runs: source {0}", servers.EnvFile);
});

Task("Stop")
    .Description("Stop the servers that Databases started (and only those).")
    .Does(() =>
{
    new Servers(serversDir).StopAll();
});

Task("UnitTest")
    .IsDependentOn("Build")
    .Does(() =>
{
    RunTests("Swap.Tests", null);
});

Task("IntegrationTest")
    .IsDependentOn("Build")
    .IsDependentOn("Databases")
    .Does(() =>
{
    RunTests("Swap.IntegrationTests", servers.Environment());
});

Task("Test")
    .Description("Unit and integration tests against real MariaDB, PostgreSQL and SQLite.")
    .IsDependentOn("Build")
    .IsDependentOn("Databases")
    .Does(() =>
{
    var results = System.IO.Path.Combine(artifacts, "test-results");
    if (System.IO.Directory.Exists(results)) System.IO.Directory.Delete(results, true);
    var failures = new List<string>();
    foreach (var project in new[] { "Swap.Tests", "Swap.IntegrationTests" })
    {
        try { RunTests(project, project == "Swap.Tests" ? null : servers.Environment()); }
        catch (Exception e) { failures.Add(project + ": " + e.Message); }
    }
    var summary = TestSummary.Read(results);
    summary.Print(msg => Information(msg));
    if (failures.Count > 0 || summary.Failed > 0 || summary.Total == 0)
        throw new Exception("Tests failed: " + (failures.Count > 0 ? string.Join("; ", failures) : summary.Failed + " failed"));
});

Task("Pack")
    .Description("NuGet packages for the libraries and the swap .NET tool, into artifacts/packages.")
    .Does(() =>
{
    var output = System.IO.Path.Combine(artifacts, "packages");
    Sh.Run("dotnet", new[] { "pack", System.IO.Path.Combine(root, "Swap.sln"), "-c", configuration, "-o", output, "-nodeReuse:false", "-v", "minimal" }, timeoutSeconds: 900);
    foreach (var file in System.IO.Directory.GetFiles(output, "*.nupkg")) Information("  {0}", System.IO.Path.GetFileName(file));
});

Task("Demo")
    .Description("The main job on the embedded default: a sample SQLite database migrated by the swap CLI.")
    .Does(() =>
{
    // Only what the demo runs: the swap command and the seeding tool, not the test projects.
    foreach (var project in new[] { System.IO.Path.Combine("src", "Swap.Cli", "Swap.Cli.csproj"), System.IO.Path.Combine("scenarios", "Swap.Scenarios", "Swap.Scenarios.csproj") })
        Sh.Run("dotnet", new[] { "build", System.IO.Path.Combine(root, project), "-c", configuration, "-nodeReuse:false", "-v", "minimal" }, timeoutSeconds: 900);

    // Fresh each run: artifacts/demo holds the database and a copy of the sample migrations,
    // so the commands printed below can be tried again from there.
    var demo = System.IO.Path.Combine(artifacts, "demo");
    if (System.IO.Directory.Exists(demo)) System.IO.Directory.Delete(demo, true);
    var migrations = System.IO.Path.Combine(demo, "migrations");
    System.IO.Directory.CreateDirectory(migrations);
    foreach (var file in System.IO.Directory.GetFiles(System.IO.Path.Combine(root, "scenarios", "demo", "migrations")))
        System.IO.File.Copy(file, System.IO.Path.Combine(migrations, System.IO.Path.GetFileName(file)));

    var bin = System.IO.Path.Combine("bin", configuration, "net10.0");
    var seeder = System.IO.Path.Combine(root, "scenarios", "Swap.Scenarios", bin, "Swap.Scenarios.dll");
    var swap = System.IO.Path.Combine(root, "src", "Swap.Cli", bin, "Swap.Cli.dll");
    Information("Seeding artifacts/demo/demo.db with realistic customers (Bogus)...");
    Sh.Run("dotnet", new[] { seeder, "demo-seed", "demo.db", "--rows", "10000" }, workingDirectory: demo);

    void Show(string when)
    {
        Information("");
        Information("The customers table {0}:", when);
        Sh.Run("dotnet", new[] { seeder, "demo-show", "demo.db", "--table", "customers", "--rows", "3" }, workingDirectory: demo);
    }

    Show("before");
    // 'up' prints each step of the table swap with what it did and how long it took. Meanwhile the
    // demo's application records orders: SQLite swaps the 10,000-row table online, so its writes
    // go on during the swap and all of them end up in the new table.
    foreach (var verb in new[] { "status", "plan", "up", "status" })
    {
        Information("");
        Information("$ swap --db sqlite:demo.db {0}", verb);
        if (verb != "up" || Argument("demo-writer", "on") == "off")
        {
            Sh.Run("dotnet", new[] { swap, "--db", "sqlite:demo.db", verb }, workingDirectory: demo, timeoutSeconds: 300);
            continue;
        }
        var stop = System.IO.Path.Combine(demo, "demo-write.stop");
        var writer = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet") { ArgumentList = { seeder, "demo-write", "demo.db", "--until", stop }, WorkingDirectory = demo, UseShellExecute = false });
        try
        {
            System.Threading.Thread.Sleep(1000);
            Sh.Run("dotnet", new[] { swap, "--db", "sqlite:demo.db", verb }, workingDirectory: demo, timeoutSeconds: 300);
            System.Threading.Thread.Sleep(500);
        }
        finally
        {
            System.IO.File.WriteAllText(stop, "");
            writer.WaitForExit(30_000);
            System.IO.File.Delete(stop);
        }
        if (writer.ExitCode != 0) throw new Exception("demo-write found writes missing from the swapped table.");
    }
    Show("after");

    Information("");
    Information("Try next, from {0} (install the swap command first: see 'Install the swap command' in README.md):", demo);
    Information("  swap --db sqlite:demo.db down 2          # take back the table swap and the tier fill");
    Information("  swap --db sqlite:demo.db status          # see them pending again, then 'swap --db sqlite:demo.db up'");
    Information("  swap create \"Add customer notes\" --cs   # a new C# migration in ./migrations");
    Information("  swap --help                              # every verb, with examples");
});

Task("GenerateDemo")
    .Description("The 'swap generate' demo: a migration written from entity classes, applied, then the next version's as SQL.")
    .Does(() =>
{
    var bin = System.IO.Path.Combine("bin", configuration, "net10.0");
    var swap = System.IO.Path.Combine(root, "src", "Swap.Cli", bin, "Swap.Cli.dll");
    Sh.Run("dotnet", new[] { "build", System.IO.Path.Combine(root, "src", "Swap.Cli", "Swap.Cli.csproj"), "-c", configuration, "-nodeReuse:false", "-v", "minimal" }, timeoutSeconds: 900);
    var demo = System.IO.Path.Combine(artifacts, "generate-demo");
    if (System.IO.Directory.Exists(demo)) System.IO.Directory.Delete(demo, true);
    System.IO.Directory.CreateDirectory(System.IO.Path.Combine(demo, "migrations"));
    // The application's entity classes, as they are (v1) and in their next version (v2).
    var entities = System.IO.Path.Combine(root, "scenarios", "Shop.Entities", "Shop.Entities.csproj");
    foreach (var version in new[] { "1", "2" })
        Sh.Run("dotnet", new[] { "build", entities, "-c", configuration, "-nodeReuse:false", "-v", "minimal", "-p:ShopVersion=" + version, "-o", System.IO.Path.Combine(demo, "v" + version) }, timeoutSeconds: 900);

    void Swap(string shown, params string[] args)
    {
        Information("");
        Information("$ swap {0}", shown);
        Sh.Run("dotnet", new[] { swap }.Concat(args).ToArray(), workingDirectory: demo, timeoutSeconds: 300);
    }
    void Show(string file)
    {
        Information("");
        Information("--- {0}", file);
        Information("{0}", System.IO.File.ReadAllText(System.IO.Path.Combine(demo, file)));
    }
    string Newest(string pattern) => System.IO.Path.GetRelativePath(demo, System.IO.Directory.GetFiles(System.IO.Path.Combine(demo, "migrations"), pattern).OrderBy(f => f, StringComparer.Ordinal).Last());

    // No database yet: generate compares the entities with what the (no) migrations create, in a scratch SQLite file.
    Swap("generate \"Create shop\" --from v1/Shop.Entities.dll", "generate", "Create shop", "--from", "v1/Shop.Entities.dll");
    Show(Newest("*.cs"));
    Swap("--db sqlite:shop.db up", "--db", "sqlite:shop.db", "up");
    Swap("--db sqlite:shop.db generate \"Again\" --from v1/Shop.Entities.dll", "--db", "sqlite:shop.db", "generate", "Again", "--from", "v1/Shop.Entities.dll");
    // A second apart, so the next migration's timestamp sorts after the first.
    System.Threading.Thread.Sleep(1100);
    // The next version: a new column and a new table with a foreign key, written as SQL that runs online.
    Swap("--db sqlite:shop.db generate \"Shop v2\" --from v2/Shop.Entities.dll --sql", "--db", "sqlite:shop.db", "generate", "Shop v2", "--from", "v2/Shop.Entities.dll", "--sql");
    Show(Newest("*.up.sql"));
    Show(Newest("*.down.sql"));
    Swap("--db sqlite:shop.db up", "--db", "sqlite:shop.db", "up");
    Swap("--db sqlite:shop.db status", "--db", "sqlite:shop.db", "status");
    Swap("--db sqlite:shop.db generate \"Again\" --from v2/Shop.Entities.dll", "--db", "sqlite:shop.db", "generate", "Again", "--from", "v2/Shop.Entities.dll");
    Information("");
    Information("The files are in {0}; see 'Generating migrations from entity classes' in docs/writing-migrations.md.", demo);
});

Task("Bench")
    .Description("Online schema change benchmark in scenarios/ against native ALTER, pt-online-schema-change, pg_repack (on demand, not part of Test).")
    .IsDependentOn("Build")
    .IsDependentOn("Databases")
    .Does(() =>
{
    // Options pass through: --rows=1000000,5000000 --engine=mariadb,postgres,sqlite --scenario=users|attachments
    // --load=idle,write --rate=500 --writers=1 --repeat=1 --baseline=10 --contenders=swap,swap-cli,ptosc --chunk-ms=500.
    // The swap command as users install it: the linux-x64 tool package is this ReadyToRun publish.
    var swapCli = System.IO.Path.Combine(artifacts, "swap-cli-r2r");
    Sh.Run("dotnet", new[] { "publish", System.IO.Path.Combine(root, "src", "Swap.Cli", "Swap.Cli.csproj"), "-c", configuration, "-r", "linux-x64", "--self-contained", "false",
        "-p:PublishReadyToRun=true", "-o", swapCli, "-nodeReuse:false", "-v", "minimal" }, timeoutSeconds: 900);
    var args = new List<string> { System.IO.Path.Combine(root, "scenarios", "Swap.Scenarios", "bin", configuration, "net10.0", "Swap.Scenarios.dll"), "bench",
        "--out", System.IO.Path.Combine(artifacts, "bench"), "--swap-cli", System.IO.Path.Combine(swapCli, "Swap.Cli.dll") };
    foreach (var option in new[] { "rows", "engine", "scenario", "load", "rate", "writers", "repeat", "baseline", "contenders", "chunk-ms" })
    {
        var value = Argument(option, "");
        if (!string.IsNullOrEmpty(value)) { args.Add("--" + option); args.Add(value); }
    }
    Sh.Run("dotnet", args, env: servers.Environment(), timeoutSeconds: 6 * 3600);
});

Task("Faults")
    .Description("The full fault-injection run (on demand): every fault point, 20 seeded random kills per engine, server-side kills, a server restart and crash, a long transaction at cut-over; summary in artifacts/faults/faults.md and faults.json.")
    .IsDependentOn("Build")
    .IsDependentOn("Databases")
    .Does(() =>
{
    // Extra harness options, e.g. --faults-args="--engines postgres --random 5 --seed 11".
    var extra = Argument("faults-args", "");
    var output = System.IO.Path.Combine(artifacts, "faults");
    var args = new List<string> { System.IO.Path.Combine(root, "scenarios", "Swap.Scenarios", "bin", configuration, "net10.0", "Swap.Scenarios.dll"), "faults", "--out", output };
    args.AddRange(extra.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    var env = servers.Environment();
    env["SWAP_CLI_DLL"] = System.IO.Path.Combine(root, "src", "Swap.Cli", "bin", configuration, "net10.0", "Swap.Cli.dll");
    try
    {
        Sh.Run("dotnet", args, env: env, timeoutSeconds: 4 * 3600);
    }
    finally
    {
        var summary = System.IO.Path.Combine(output, "faults.md");
        if (System.IO.File.Exists(summary)) Information("Summary: {0}", summary);
    }
});

Task("Default").IsDependentOn("Build");

void RunTests(string project, IDictionary<string, string> env)
{
    var csproj = System.IO.Path.Combine(root, "tests", project, project + ".csproj");
    var results = System.IO.Path.Combine(artifacts, "test-results");
    var args = new List<string> {
        "test", csproj, "-c", configuration, "--no-build", "-nodeReuse:false",
        "--logger", "trx;LogFileName=" + project + ".trx",
        "--logger", "console;verbosity=normal",
        "--results-directory", results,
    };
    if (!string.IsNullOrEmpty(testFilter)) { args.Add("--filter"); args.Add(testFilter); }
    Sh.Run("dotnet", args, env: env, timeoutSeconds: 1500);
}

RunTarget(target);

// ---------------------------------------------------------------------------------------------

/// <summary>Runs processes with argument lists (no shell quoting), a bounded wait and a clear error.</summary>
static class Sh
{
    public static (int Code, string Output) Capture(string file, IEnumerable<string> args, IDictionary<string, string> env = null, int timeoutSeconds = 120, string runAs = null)
    {
        var psi = Start(file, args, env, runAs);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        using var p = Process.Start(psi);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            try { p.Kill(true); } catch { }
            throw new Exception($"'{file}' did not finish within {timeoutSeconds}s");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    public static void Run(string file, IEnumerable<string> args, IDictionary<string, string> env = null, int timeoutSeconds = 120, string runAs = null, string workingDirectory = null)
    {
        var psi = Start(file, args, env, runAs);
        if (workingDirectory != null) psi.WorkingDirectory = workingDirectory;
        using var p = Process.Start(psi);
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            try { p.Kill(true); } catch { }
            throw new Exception($"'{file}' did not finish within {timeoutSeconds}s");
        }
        if (p.ExitCode != 0) throw new Exception($"'{file} {string.Join(" ", args.Take(3))}' exited with {p.ExitCode}");
    }

    public static string Check(string file, IEnumerable<string> args, IDictionary<string, string> env = null, int timeoutSeconds = 120, string runAs = null)
    {
        var (code, output) = Capture(file, args, env, timeoutSeconds, runAs);
        if (code != 0) throw new Exception($"'{file} {string.Join(" ", args.Take(4))}' exited with {code}:\n{output}");
        return output;
    }

    static ProcessStartInfo Start(string file, IEnumerable<string> args, IDictionary<string, string> env, string runAs)
    {
        var psi = new ProcessStartInfo { UseShellExecute = false };
        if (runAs != null)
        {
            psi.FileName = "runuser";
            psi.ArgumentList.Add("-u");
            psi.ArgumentList.Add(runAs);
            psi.ArgumentList.Add("--");
            psi.ArgumentList.Add(file);
            // The service user may not be able to enter the caller's folder (a clone in a private
            // temporary folder): psql would warn on stderr and every check would misread it.
            psi.WorkingDirectory = "/";
        }
        else psi.FileName = file;
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env != null) foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
        return psi;
    }

    public static bool OnPath(string file) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Concat(new[] { "/usr/sbin", "/usr/lib/postgresql/15/bin" })
            .Any(d => System.IO.File.Exists(System.IO.Path.Combine(d, file)));

    public static bool IsRoot => Capture("id", new[] { "-u" }).Output.Trim() == "0";
}

/// <summary>
/// Private MariaDB and PostgreSQL servers for tests and benchmarks: data, sockets, logs and pid
/// files live under one temporary folder; ports are non-default and checked free before use.
/// </summary>
class Servers
{
    public const string User = "swap";
    public const string Password = "swap-test-pw-7Hq2";   // a test-only secret, distinctive so leak tests can grep for it
    public const string Database = "swap_test";
    const string PgBin = "/usr/lib/postgresql/15/bin";

    readonly string dir;
    public Servers(string dir) { this.dir = dir; }

    /// <summary>
    /// Start MariaDB with <c>innodb_autoinc_lock_mode=2</c> (MySQL 8's default) instead of MariaDB 10.11's
    /// own default, 1, which the tests and benchmarks use unless <c>--mariadb-autoinc-interleaved</c> is given.
    /// A running server in the other mode is restarted.
    /// </summary>
    public bool AutoIncInterleaved { get; set; }

    int AutoIncMode => AutoIncInterleaved ? 2 : 1;

    /// <summary>
    /// Commit durability as the servers ship (<c>--durable</c>): MariaDB <c>innodb_flush_log_at_trx_commit=1</c>
    /// and PostgreSQL <c>synchronous_commit=on</c>, so every commit waits for its log flush, as users'
    /// commits do. Without it the test servers relax both (2 and off) to keep the suite fast; the
    /// benchmark's load groups are run both ways (docs/benchmarks.md). A running server in the other
    /// setting is restarted (MariaDB) or refused (PostgreSQL: stop it first, or use another SWAP_SERVERS_DIR).
    /// </summary>
    public bool Durable { get; set; }

    int FlushLogAtCommit => Durable ? 1 : 2;

    string My(string f) => System.IO.Path.Combine(dir, "mariadb", f);
    string Pg(string f) => System.IO.Path.Combine(dir, "postgres", f);
    public string EnvFile => System.IO.Path.Combine(dir, "servers.env");
    public int MySqlPort { get; private set; }
    public int PostgresPort { get; private set; }
    public int ReplicaPort { get; private set; }
    public int StandbyPort { get; private set; }
    public string MySqlUrl => $"mysql://{User}:{Password}@127.0.0.1:{MySqlPort}/{Database}";
    public string PostgresUrl => $"postgres://{User}:{Password}@127.0.0.1:{PostgresPort}/{Database}";
    static string ServiceUser(string name) => Sh.IsRoot ? name : null;

    public static string Redact(string url) => Regex.Replace(url, "://([^:/@]+):[^@]*@", "://$1:***@");

    public Dictionary<string, string> Environment() => new()
    {
        ["SWAP_TEST_MYSQL"] = MySqlUrl,
        ["SWAP_TEST_POSTGRES"] = PostgresUrl,
        ["SWAP_TEST_SERVERS_DIR"] = dir,
        ["SWAP_TEST_MYSQL_SOCKET"] = My("mysqld.sock"),
        ["SWAP_TEST_MYSQL_CA"] = My("tls/ca.pem"),
        ["SWAP_TEST_MYSQL_TLS_USER"] = User + "_tls",
        ["SWAP_TEST_POSTGRES_SOCKET_DIR"] = Pg(""),
        // Replicas for the throttle tests: the MariaDB replica replicates databases named swapr*;
        // the PostgreSQL standby is a physical (pg_basebackup) standby of the whole cluster.
        ["SWAP_TEST_MYSQL_REPLICA"] = $"mysql://{User}:{Password}@127.0.0.1:{ReplicaPort}",
        ["SWAP_TEST_MYSQL_REPLICA_SOCKET"] = My("replica/mysqld.sock"),
        ["SWAP_TEST_POSTGRES_STANDBY"] = $"postgres://{User}:{Password}@127.0.0.1:{StandbyPort}/{Database}",
    };

    // ---- install -----------------------------------------------------------------------------

    public void EnsureInstalled()
    {
        var missing = new List<string>();
        if (!Sh.OnPath("mariadbd") || !Sh.OnPath("mariadb-install-db") || !Sh.OnPath("mariadb")) missing.Add("mariadb-server");
        if (!System.IO.File.Exists(System.IO.Path.Combine(PgBin, "postgres"))) missing.Add("postgresql-15");
        if (!System.IO.File.Exists("/usr/bin/psql")) missing.Add("postgresql-client-15");
        if (!Sh.OnPath("openssl")) missing.Add("openssl");
        // The suite's benchmark smoke test runs the peer tools. They are installed here, before any
        // server starts: installing postgresql-15-repack later can upgrade postgresql-15 under a
        // running server, whose next library load (plpgsql) then fails with an undefined symbol.
        if (!System.IO.File.Exists("/usr/bin/pt-online-schema-change")) missing.Add("percona-toolkit");
        if (Sh.Capture("perl", new[] { "-MDBD::mysql", "-e", "1" }).Code != 0) missing.Add("libdbd-mysql-perl");
        if (!System.IO.File.Exists("/usr/bin/pg_repack") || !System.IO.File.Exists("/usr/share/postgresql/15/extension/pg_repack.control")) missing.Add("postgresql-15-repack");
        if (!System.IO.File.Exists("/usr/bin/time")) missing.Add("time");
        // The rehearsal report's test and the web console's browser tests drive Debian's chromium
        // headless (Microsoft.Playwright's driver with the system browser; nothing is downloaded),
        // with a font for the screenshots.
        if (!System.IO.File.Exists("/usr/bin/chromium")) missing.Add("chromium");
        if (!System.IO.Directory.Exists("/usr/share/fonts/truetype/dejavu")) missing.Add("fonts-dejavu-core");
        if (missing.Count == 0) return;
        if (!Sh.IsRoot)
            throw new Exception($"Missing packages: {string.Join(", ", missing)}. Run this target as root, or install them: sudo apt-get install -y {string.Join(" ", missing)}");
        AptInstall(missing);
    }

    public static void AptInstall(IEnumerable<string> packages)
    {
        var env = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        // Package scripts must not start system-wide services: there is no service manager here,
        // and the project only ever runs its own private servers.
        const string policy = "/usr/sbin/policy-rc.d";
        var ownPolicy = !System.IO.File.Exists(policy);
        if (ownPolicy)
        {
            System.IO.File.WriteAllText(policy, "#!/bin/sh\nexit 101\n");
            Sh.Run("chmod", new[] { "0755", policy });
        }
        try
        {
            Console.WriteLine("Installing " + string.Join(" ", packages) + " with apt-get");
            Sh.Run("apt-get", new[] { "update", "-q" }, env, timeoutSeconds: 600);
            Sh.Run("apt-get", new[] { "install", "-y", "-q", "--no-install-recommends" }.Concat(packages), env, timeoutSeconds: 1200);
        }
        finally
        {
            if (ownPolicy) System.IO.File.Delete(policy);
        }
    }

    // ---- start -------------------------------------------------------------------------------

    public void StartAll()
    {
        System.IO.Directory.CreateDirectory(dir);
        Sh.Run("chmod", new[] { "0755", dir });
        StartMariaDb();
        StartMariaDbReplica();
        StartPostgres();
        StartPostgresStandby();
        System.IO.File.WriteAllLines(EnvFile, Environment().Select(kv => $"export {kv.Key}='{kv.Value}'"));
    }

    void StartMariaDb()
    {
        var runAs = ServiceUser("mysql");
        if (MariaDbAlive(out var port))
        {
            MySqlPort = port;
            var settings = Sh.Capture("mariadb", new[] { "--no-defaults", "--socket=" + My("mysqld.sock"), "-uroot", "-N", "-e", "SELECT CONCAT(@@log_bin, ' ', @@innodb_autoinc_lock_mode, ' ', @@innodb_flush_log_at_trx_commit)" }, timeoutSeconds: 10).Output.Trim();
            if (System.IO.File.Exists(My("tls/server-cert.pem")) && settings == $"1 {AutoIncMode} {FlushLogAtCommit}")
            {
                Console.WriteLine($"MariaDB already running on 127.0.0.1:{port}; reusing it");
                EnsureMariaDbUser();
                return;
            }
            // Started by an older build without TLS or without the binary log the replica reads, or in
            // the other innodb_autoinc_lock_mode: restart it on the same data and port.
            Console.WriteLine($"MariaDB on 127.0.0.1:{port} runs without TLS, without binary log or with other settings (log_bin, innodb_autoinc_lock_mode, innodb_flush_log_at_trx_commit: {settings}); restarting it with innodb_autoinc_lock_mode={AutoIncMode}, innodb_flush_log_at_trx_commit={FlushLogAtCommit}");
            var pid = int.Parse(System.IO.File.ReadAllText(My("mariadbd.pid")).Trim());
            Sh.Capture("kill", new[] { "-TERM", pid.ToString() });
            WaitExit(pid, 60);
        }
        else
        {
            var home = My("");
            if (System.IO.Directory.Exists(home)) System.IO.Directory.Delete(home, true);
            System.IO.Directory.CreateDirectory(My("data"));
            if (runAs != null) Sh.Run("chown", new[] { "-R", "mysql:mysql", home });
            MySqlPort = FreePort(33306);

            var install = new List<string> { "--no-defaults", "--datadir=" + My("data"), "--auth-root-authentication-method=normal", "--skip-test-db" };
            if (runAs != null) install.Add("--user=mysql");
            Sh.Check("mariadb-install-db", install, timeoutSeconds: 300);
        }

        MakeCertificates();
        System.IO.Directory.CreateDirectory(My("binlog"));
        if (runAs != null) Sh.Run("chown", new[] { "-R", "mysql:mysql", My("binlog") });
        var args = new List<string> {
            "--no-defaults", "--datadir=" + My("data"), "--socket=" + My("mysqld.sock"),
            "--ssl-ca=" + My("tls/ca.pem"), "--ssl-cert=" + My("tls/server-cert.pem"), "--ssl-key=" + My("tls/server-key.pem"),
            "--port=" + MySqlPort, "--bind-address=127.0.0.1", "--pid-file=" + My("mariadbd.pid"),
            "--log-error=" + My("mariadb.log"), "--skip-name-resolve", "--max-connections=500",
            "--innodb-buffer-pool-size=1G", "--innodb-log-file-size=512M", "--innodb-flush-log-at-trx-commit=" + FlushLogAtCommit,
            "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
            "--lock-wait-timeout=60",
            // Binary logging on, as on every production primary with replicas or point-in-time
            // recovery: tests then see what a least-privileged user meets there (CREATE TRIGGER
            // needs SUPER or log_bin_trust_function_creators=1). Row format, as replicas need.
            // It also feeds the replica (the replica-lag throttle tests); no fsync per commit (sync_binlog=0).
            // File size as shipped (max_binlog_size 1G): closing a file syncs it, and every commit
            // waits meanwhile; with sync_binlog=0 most of a file is still unwritten then, so how often
            // that happens during a swap is part of what users get (docs/operating-online-swaps.md).
            "--log-bin=" + My("binlog/mariadb-bin"), "--server-id=1", "--binlog-format=ROW", "--sync-binlog=0",
            "--binlog-expire-logs-seconds=3600",
            // What managed clouds set in their parameter groups for trigger-based tools; tests that
            // check the refusal without it turn it off for a moment (LeastPrivilegeTests).
            "--log-bin-trust-function-creators=1",
        };
        // MariaDB 10.11's default is 1 ("consecutive": an INSERT ... SELECT holds a table-level AUTO-INC
        // lock on its target for the statement), which is what most MariaDB users run, so the tests and
        // benchmarks run that. --mariadb-autoinc-interleaved starts MySQL 8's default, 2, to compare.
        args.Add("--innodb-autoinc-lock-mode=" + AutoIncMode);
        if (runAs != null) args.Add("--user=mysql");
        Detach("/usr/sbin/mariadbd", args, My("mariadb.console.log"));
        System.IO.File.WriteAllText(My("port"), MySqlPort.ToString());
        WaitFor("MariaDB", My("mariadb.log"), () => Sh.Capture("mariadb-admin", new[] { "--no-defaults", "--socket=" + My("mysqld.sock"), "-uroot", "ping" }, timeoutSeconds: 10).Code == 0);
        EnsureMariaDbUser();
    }

    /// <summary>A private CA and a server certificate for 127.0.0.1/localhost, so tests can require and verify TLS.</summary>
    void MakeCertificates()
    {
        var tls = My("tls");
        System.IO.Directory.CreateDirectory(tls);
        string T(string f) => System.IO.Path.Combine(tls, f);
        Sh.Check("openssl", new[] { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=Swap test CA",
            "-keyout", T("ca-key.pem"), "-out", T("ca.pem") });
        System.IO.File.WriteAllText(T("san.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        Sh.Check("openssl", new[] { "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-keyout", T("server-key.pem"), "-out", T("server.csr") });
        Sh.Check("openssl", new[] { "x509", "-req", "-in", T("server.csr"), "-CA", T("ca.pem"), "-CAkey", T("ca-key.pem"),
            "-CAcreateserial", "-days", "30", "-extfile", T("san.cnf"), "-out", T("server-cert.pem") });
        if (ServiceUser("mysql") != null) Sh.Run("chown", new[] { "-R", "mysql:mysql", tls });
        Sh.Run("chmod", new[] { "0755", tls });
        Sh.Run("chmod", new[] { "0644", T("ca.pem"), T("server-cert.pem") });
    }

    void EnsureMariaDbUser()
    {
        var sql = string.Join("\n", new[] { "127.0.0.1", "localhost" }.SelectMany(h => new[] {
            $"CREATE USER IF NOT EXISTS '{User}'@'{h}' IDENTIFIED BY '{Password}';",
            $"GRANT ALL PRIVILEGES ON *.* TO '{User}'@'{h}' WITH GRANT OPTION;",
            // A user that may only connect over TLS: the test that a plain connection is refused.
            $"CREATE USER IF NOT EXISTS '{User}_tls'@'{h}' IDENTIFIED BY '{Password}' REQUIRE SSL;",
            $"GRANT ALL PRIVILEGES ON `{Database}`.* TO '{User}_tls'@'{h}';" }))
            + $"\nCREATE DATABASE IF NOT EXISTS `{Database}` CHARACTER SET utf8mb4;\nFLUSH PRIVILEGES;"
            // With the binary log on, a user without SUPER (swap_tls) may create triggers only so;
            // set at run time too, for a server started before this line existed.
            + "\nSET GLOBAL log_bin_trust_function_creators = 1;";
        Sh.Check("mariadb", new[] { "--no-defaults", "--socket=" + My("mysqld.sock"), "-uroot", "-e", sql });
    }

    string Rep(string f) => My(System.IO.Path.Combine("replica", f));
    string Sb(string f) => Pg(System.IO.Path.Combine("standby", f));

    /// <summary>
    /// A MariaDB replica of the primary on its own port and data folder. It applies only databases
    /// named swapr* (the replica tests create theirs so), so the rest of the suite's writes cost it
    /// no more than reading them from the primary's binary log.
    /// </summary>
    void StartMariaDbReplica()
    {
        var runAs = ServiceUser("mysql");
        string[] Root(string sock) => new[] { "--no-defaults", "--socket=" + sock, "-uroot" };
        if (System.IO.File.Exists(Rep("port")) && OwnProcessAlive(Rep("mariadbd.pid"), Rep("data"))
            && Sh.Capture("mariadb-admin", Root(Rep("mysqld.sock")).Concat(new[] { "ping" }), timeoutSeconds: 10).Code == 0)
        {
            ReplicaPort = int.Parse(System.IO.File.ReadAllText(Rep("port")).Trim());
            // A test that stopped the SQL thread and died before starting it again must not leave the replica behind.
            Sh.Check("mariadb", Root(Rep("mysqld.sock")).Concat(new[] { "-e", "START SLAVE" }));
            Console.WriteLine($"MariaDB replica already running on 127.0.0.1:{ReplicaPort}; reusing it");
            return;
        }
        var home = Rep("");
        if (System.IO.Directory.Exists(home)) System.IO.Directory.Delete(home, true);
        System.IO.Directory.CreateDirectory(Rep("data"));
        if (runAs != null) Sh.Run("chown", new[] { "-R", "mysql:mysql", home });
        ReplicaPort = FreePort(33406);
        var install = new List<string> { "--no-defaults", "--datadir=" + Rep("data"), "--auth-root-authentication-method=normal", "--skip-test-db" };
        if (runAs != null) install.Add("--user=mysql");
        Sh.Check("mariadb-install-db", install, timeoutSeconds: 300);
        var args = new List<string> {
            "--no-defaults", "--datadir=" + Rep("data"), "--socket=" + Rep("mysqld.sock"),
            "--port=" + ReplicaPort, "--bind-address=127.0.0.1", "--pid-file=" + Rep("mariadbd.pid"),
            "--log-error=" + Rep("mariadb.log"), "--skip-name-resolve", "--max-connections=100",
            "--innodb-buffer-pool-size=128M", "--innodb-flush-log-at-trx-commit=2",
            "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci", "--skip-log-bin",
            "--server-id=2", "--relay-log=" + Rep("relay"), "--replicate-wild-do-table=swapr%.%", "--skip-slave-start",
        };
        if (runAs != null) args.Add("--user=mysql");
        Detach("/usr/sbin/mariadbd", args, Rep("mariadb.console.log"));
        System.IO.File.WriteAllText(Rep("port"), ReplicaPort.ToString());
        WaitFor("MariaDB replica", Rep("mariadb.log"), () => Sh.Capture("mariadb-admin", Root(Rep("mysqld.sock")).Concat(new[] { "ping" }), timeoutSeconds: 10).Code == 0);
        // Replicate from the primary's current position: the replica tests create their databases afterwards.
        var status = Sh.Check("mariadb", Root(My("mysqld.sock")).Concat(new[] { "-N", "-e", "SHOW MASTER STATUS" })).Trim().Split('\t');
        var users = string.Join("\n", new[] { "127.0.0.1", "localhost" }.SelectMany(h => new[] {
            $"CREATE USER IF NOT EXISTS '{User}'@'{h}' IDENTIFIED BY '{Password}';",
            $"GRANT ALL PRIVILEGES ON *.* TO '{User}'@'{h}' WITH GRANT OPTION;" }));
        Sh.Check("mariadb", Root(Rep("mysqld.sock")).Concat(new[] { "-e",
            users + "\nFLUSH PRIVILEGES;\n" +
            $"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={MySqlPort}, MASTER_USER='{User}', MASTER_PASSWORD='{Password}', " +
            $"MASTER_LOG_FILE='{status[0]}', MASTER_LOG_POS={status[1]}, MASTER_CONNECT_RETRY=1;\nSTART SLAVE;" }));
    }

    /// <summary>A PostgreSQL hot standby of the primary (pg_basebackup, streaming replication) on its own port and data folder.</summary>
    void StartPostgresStandby()
    {
        var runAs = ServiceUser("postgres");
        var isReady = System.IO.Path.Combine(PgBin, "pg_isready");
        if (System.IO.File.Exists(Sb("port")) && System.IO.File.Exists(Sb("data/postmaster.pid")))
        {
            var port = int.Parse(System.IO.File.ReadAllText(Sb("port")).Trim());
            if (Sh.Capture(isReady, new[] { "-h", "127.0.0.1", "-p", port.ToString() }, timeoutSeconds: 10).Code == 0)
            {
                StandbyPort = port;
                // A test that paused replay and died before resuming it must not leave the standby behind.
                Sh.Check("psql", new[] { "-X", "-q", "-h", Sb("").TrimEnd('/'), "-p", port.ToString(), "-U", "postgres", "-d", "postgres", "-c", "SELECT pg_wal_replay_resume()" }, runAs: runAs);
                Console.WriteLine($"PostgreSQL standby already running on 127.0.0.1:{port}; reusing it");
                return;
            }
            Sh.Capture(System.IO.Path.Combine(PgBin, "pg_ctl"), new[] { "stop", "-D", Sb("data"), "-m", "immediate", "-w", "-t", "30" }, timeoutSeconds: 60, runAs: runAs);
        }
        var home = Sb("");
        if (System.IO.Directory.Exists(home)) System.IO.Directory.Delete(home, true);
        System.IO.Directory.CreateDirectory(home);
        if (runAs != null) Sh.Run("chown", new[] { "-R", "postgres:postgres", home });
        StandbyPort = FreePort(55532);
        Sh.Check(System.IO.Path.Combine(PgBin, "pg_basebackup"), new[] {
            "-d", $"host=127.0.0.1 port={PostgresPort} user={User} password={Password}",
            "-D", Sb("data"), "-R", "-X", "stream", "-c", "fast" }, timeoutSeconds: 600, runAs: runAs);
        var options = string.Join(" ", new[] {
            "-c port=" + StandbyPort, "-c listen_addresses=127.0.0.1", "-c unix_socket_directories=" + home.TrimEnd('/'),
            "-c max_connections=300", "-c shared_buffers=128MB", "-c hot_standby=on",
            "-c max_locks_per_transaction=256", "-c max_standby_streaming_delay=5s" });
        Sh.Check(System.IO.Path.Combine(PgBin, "pg_ctl"), new[] {
            "start", "-D", Sb("data"), "-l", Sb("postgres.log"), "-w", "-t", "60", "-o", options }, timeoutSeconds: 90, runAs: runAs);
        System.IO.File.WriteAllText(Sb("port"), StandbyPort.ToString());
        WaitFor("PostgreSQL standby", Sb("postgres.log"), () => Sh.Capture(isReady, new[] { "-h", "127.0.0.1", "-p", StandbyPort.ToString() }, timeoutSeconds: 10).Code == 0);
    }

    bool MariaDbAlive(out int port)
    {
        port = 0;
        if (!System.IO.File.Exists(My("port")) || !OwnProcessAlive(My("mariadbd.pid"), My("data"))) return false;
        port = int.Parse(System.IO.File.ReadAllText(My("port")).Trim());
        return Sh.Capture("mariadb-admin", new[] { "--no-defaults", "--socket=" + My("mysqld.sock"), "-uroot", "ping" }, timeoutSeconds: 10).Code == 0;
    }

    void StartPostgres()
    {
        if (PostgresAlive(out var port))
        {
            PostgresPort = port;
            var commit = Sh.Capture(System.IO.Path.Combine(PgBin, "psql"), new[] { "-h", Pg("").TrimEnd('/'), "-p", port.ToString(), "-U", "postgres", "-At", "-c", "SHOW synchronous_commit" }, timeoutSeconds: 10).Output.Trim();
            if (commit != (Durable ? "on" : "off"))
                throw new Exception($"PostgreSQL on 127.0.0.1:{port} runs with synchronous_commit={commit}, and this run asks for {(Durable ? "on (--durable)" : "off")}: stop it first (dotnet cake --target=Stop) or use another SWAP_SERVERS_DIR.");
            Console.WriteLine($"PostgreSQL already running on 127.0.0.1:{port}; reusing it");
            EnsurePostgresUser();
            return;
        }
        var home = Pg("");
        if (System.IO.Directory.Exists(home)) System.IO.Directory.Delete(home, true);
        System.IO.Directory.CreateDirectory(home);
        var runAs = ServiceUser("postgres");
        if (runAs != null) Sh.Run("chown", new[] { "-R", "postgres:postgres", home });
        PostgresPort = FreePort(55432);

        Sh.Check(System.IO.Path.Combine(PgBin, "initdb"), new[] {
            "-D", Pg("data"), "-U", "postgres", "-E", "UTF8", "--no-locale",
            "--auth-local=trust", "--auth-host=scram-sha-256" }, timeoutSeconds: 300, runAs: runAs);
        var options = string.Join(" ", new[] {
            "-c port=" + PostgresPort, "-c listen_addresses=127.0.0.1", "-c unix_socket_directories=" + home.TrimEnd('/'),
            "-c max_connections=300", "-c shared_buffers=512MB", "-c synchronous_commit=" + (Durable ? "on" : "off"),
            "-c max_wal_size=4GB", "-c max_locks_per_transaction=256" });
        Sh.Check(System.IO.Path.Combine(PgBin, "pg_ctl"), new[] {
            "start", "-D", Pg("data"), "-l", Pg("postgres.log"), "-w", "-t", "60", "-o", options }, timeoutSeconds: 90, runAs: runAs);
        System.IO.File.WriteAllText(Pg("port"), PostgresPort.ToString());
        WaitFor("PostgreSQL", Pg("postgres.log"), () => Sh.Capture(System.IO.Path.Combine(PgBin, "pg_isready"), new[] { "-h", "127.0.0.1", "-p", PostgresPort.ToString() }, timeoutSeconds: 10).Code == 0);
        EnsurePostgresUser();
    }

    void EnsurePostgresUser()
    {
        var psql = new[] { "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", Pg("").TrimEnd('/'), "-p", PostgresPort.ToString(), "-U", "postgres", "-d", "postgres" };
        // One idempotent statement: whatever a previous run from wherever left, the role ends up as wanted.
        Sh.Check("psql", psql.Concat(new[] { "-c",
            $"DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{User}') THEN CREATE ROLE {User} LOGIN SUPERUSER PASSWORD '{Password}'; " +
            $"ELSE ALTER ROLE {User} LOGIN SUPERUSER PASSWORD '{Password}'; END IF; END$$" }), runAs: ServiceUser("postgres"));
        var db = Sh.Check("psql", psql.Concat(new[] { "-tAc", $"SELECT 1 FROM pg_database WHERE datname = '{Database}'" }), runAs: ServiceUser("postgres")).Trim();
        if (!db.Split('\n').Any(l => l.Trim() == "1"))
            Sh.Check("psql", psql.Concat(new[] { "-c", $"CREATE DATABASE {Database} OWNER {User}" }), runAs: ServiceUser("postgres"));
    }

    bool PostgresAlive(out int port)
    {
        port = 0;
        if (!System.IO.File.Exists(Pg("port")) || !System.IO.File.Exists(Pg("data/postmaster.pid"))) return false;
        var pidLine = System.IO.File.ReadLines(Pg("data/postmaster.pid")).FirstOrDefault() ?? "";
        var pidFile = Pg("postmaster.pid.check");
        System.IO.File.WriteAllText(pidFile, pidLine);
        if (!OwnProcessAlive(pidFile, Pg("data"))) return false;
        port = int.Parse(System.IO.File.ReadAllText(Pg("port")).Trim());
        return Sh.Capture(System.IO.Path.Combine(PgBin, "pg_isready"), new[] { "-h", "127.0.0.1", "-p", port.ToString() }, timeoutSeconds: 10).Code == 0;
    }

    // ---- stop --------------------------------------------------------------------------------

    public void StopAll()
    {
        if (OwnProcessAlive(Rep("mariadbd.pid"), Rep("data")))
        {
            var pid = int.Parse(System.IO.File.ReadAllText(Rep("mariadbd.pid")).Trim());
            Console.WriteLine($"Stopping the MariaDB replica (pid {pid})");
            Sh.Capture("kill", new[] { "-TERM", pid.ToString() });
            WaitExit(pid, 60);
        }
        if (System.IO.File.Exists(Sb("data/postmaster.pid")))
        {
            Console.WriteLine("Stopping the PostgreSQL standby");
            Sh.Capture(System.IO.Path.Combine(PgBin, "pg_ctl"), new[] { "stop", "-D", Sb("data"), "-m", "fast", "-w", "-t", "60" }, timeoutSeconds: 90, runAs: ServiceUser("postgres"));
        }
        if (OwnProcessAlive(My("mariadbd.pid"), My("data")))
        {
            var pid = int.Parse(System.IO.File.ReadAllText(My("mariadbd.pid")).Trim());
            Console.WriteLine($"Stopping MariaDB (pid {pid})");
            Sh.Capture("kill", new[] { "-TERM", pid.ToString() });
            WaitExit(pid, 60);
        }
        else Console.WriteLine("MariaDB: no server of ours is running");

        if (System.IO.File.Exists(Pg("data/postmaster.pid")))
        {
            Console.WriteLine("Stopping PostgreSQL");
            Sh.Capture(System.IO.Path.Combine(PgBin, "pg_ctl"), new[] { "stop", "-D", Pg("data"), "-m", "fast", "-w", "-t", "60" }, timeoutSeconds: 90, runAs: ServiceUser("postgres"));
        }
        else Console.WriteLine("PostgreSQL: no server of ours is running");
    }

    // ---- helpers -----------------------------------------------------------------------------

    /// <summary>True when the pid in the file is alive and its command line names our data directory.</summary>
    static bool OwnProcessAlive(string pidFile, string dataDir)
    {
        if (!System.IO.File.Exists(pidFile)) return false;
        if (!int.TryParse(System.IO.File.ReadAllText(pidFile).Trim(), out var pid)) return false;
        var cmdline = $"/proc/{pid}/cmdline";
        if (!System.IO.File.Exists(cmdline)) return false;
        var args = System.IO.File.ReadAllText(cmdline).Replace('\0', ' ');
        return args.Contains(dataDir.TrimEnd('/'));
    }

    static void WaitExit(int pid, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (System.IO.Directory.Exists($"/proc/{pid}") && DateTime.UtcNow < deadline) System.Threading.Thread.Sleep(200);
        if (System.IO.Directory.Exists($"/proc/{pid}")) throw new Exception($"Server pid {pid} did not stop within {seconds}s");
    }

    static int FreePort(int preferred)
    {
        for (var port = preferred; port < preferred + 200; port++)
        {
            try
            {
                var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException) { }
        }
        throw new Exception($"No free port in {preferred}..{preferred + 199} on 127.0.0.1");
    }

    static void Detach(string file, IEnumerable<string> args, string log)
    {
        // setsid + redirected stdio: the server outlives this build and never holds the caller's pipes.
        var quoted = string.Join(" ", new[] { file }.Concat(args).Select(a => "'" + a.Replace("'", "'\\''") + "'"));
        Sh.Run("bash", new[] { "-c", $"setsid {quoted} >>'{log}' 2>&1 </dev/null &" });
    }

    static void WaitFor(string name, string log, Func<bool> ready, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (ready()) { Console.WriteLine($"{name} is accepting connections"); return; }
            System.Threading.Thread.Sleep(300);
        }
        var tail = System.IO.File.Exists(log) ? string.Join("\n", System.IO.File.ReadLines(log).TakeLast(30)) : "(no log written)";
        throw new Exception($"{name} did not accept connections within {seconds}s. Last lines of {log}:\n{tail}");
    }
}

/// <summary>Totals across the TRX files of one Test run.</summary>
class TestSummary
{
    public int Total, Passed, Failed, Skipped;
    /// <summary>Each failure's message and the top of its stack, so a CI log's tail says why.</summary>
    public List<string> FailedDetails = new();
    public List<(string File, int Total, int Passed, int Failed)> PerFile = new();

    public static TestSummary Read(string dir)
    {
        var s = new TestSummary();
        if (!System.IO.Directory.Exists(dir)) return s;
        XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        foreach (var file in System.IO.Directory.GetFiles(dir, "*.trx", System.IO.SearchOption.AllDirectories))
        {
            var doc = XDocument.Load(file);
            var c = doc.Descendants(ns + "Counters").FirstOrDefault();
            if (c == null) continue;
            int Get(string n) => int.TryParse((string)c.Attribute(n), out var v) ? v : 0;
            s.Total += Get("total"); s.Passed += Get("passed"); s.Failed += Get("failed");
            s.Skipped += Get("notExecuted");
            s.PerFile.Add((System.IO.Path.GetFileNameWithoutExtension(file), Get("total"), Get("passed"), Get("failed")));
            foreach (var r in doc.Descendants(ns + "UnitTestResult").Where(r => (string)r.Attribute("outcome") == "Failed"))
            {
                var name = (string)r.Attribute("testName");
                var info = r.Descendants(ns + "ErrorInfo").FirstOrDefault();
                var message = ((string)info?.Element(ns + "Message") ?? "").Trim();
                var stack = ((string)info?.Element(ns + "StackTrace") ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Take(6);
                s.FailedDetails.Add(name + "\n" + string.Join("\n", message.Split('\n').Take(20).Select(l => "      " + l.TrimEnd())) + "\n" + string.Join("\n", stack.Select(l => "      " + l)));
            }
        }
        return s;
    }

    public void Print(Action<string> write)
    {
        write("");
        foreach (var f in PerFile) write($"  {f.File}: {f.Passed} passed, {f.Failed} failed of {f.Total}");
        foreach (var detail in FailedDetails) write("  FAILED " + detail);
        write($"{Passed} passed, {Failed} failed" + (Skipped > 0 ? $", {Skipped} skipped" : ""));
    }
}
