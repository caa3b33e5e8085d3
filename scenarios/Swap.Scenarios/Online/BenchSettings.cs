using System.Globalization;

namespace Swap.Scenarios.Online;

/// <summary>
/// Options of the online-change benchmark. Command line:
/// <c>bench [--engine mariadb,postgres,sqlite|all] [--rows 1000000,5000000] [--scenario users,attachments]
/// [--load idle,write|both] [--rate 500] [--writers 1] [--baseline 10] [--repeat 1] [--contenders swap,ptosc,...]
/// [--change full|add-column] [--chunk-ms 500] [--window-seconds 30] [--out DIR] [--work DIR] [--swap-cli Swap.Cli.dll] [--mysql URL] [--postgres URL] [--keep] [--no-install] [--no-autoinc] [--no-oracle]</c>.
/// Server URLs default to SWAP_TEST_MYSQL and SWAP_TEST_POSTGRES.
/// </summary>
internal sealed class BenchSettings
{
    public IReadOnlyList<string> Engines { get; set; } = ["mariadb", "postgres", "sqlite"];

    public IReadOnlyList<long> Rows { get; set; } = [1_000_000];

    public IReadOnlyList<string> Scenarios { get; set; } = ["users"];

    public IReadOnlyList<string> Loads { get; set; } = ["idle", "write"];

    /// <summary>Writes per second of the concurrent writer, in total over its connections.</summary>
    public int Rate { get; set; } = 500;

    /// <summary>Connections the writer spreads its writes over (the total rate stays <see cref="Rate"/>).</summary>
    public int Writers { get; set; } = 1;

    /// <summary>Under load, also build the oracle table (native change, then every write in order on one connection) and compare every contender with it.</summary>
    public bool Oracle { get; set; } = true;

    /// <summary>Seconds the writer runs before the change starts, to measure its own baseline.</summary>
    public double BaselineSeconds { get; set; } = 10;

    /// <summary>Seconds the writer keeps running after the change ends.</summary>
    public double TailSeconds { get; set; } = 1;

    /// <summary>Rounds of all contenders, interleaved (A B C, A B C...).</summary>
    public int Repeat { get; set; } = 1;

    /// <summary>
    /// <c>--change add-column</c>: the change is only a new nullable column at the end (instant on
    /// every engine), to compare Swap's instant path with a forced copy (<c>swap-copy</c>), the
    /// native ALTER and the same change from a SQL script (<c>swap-sql</c>). Default: the full change.
    /// </summary>
    public bool AddColumnOnly { get; set; }

    /// <summary>Only these contender ids (empty: all).</summary>
    public IReadOnlyList<string> Contenders { get; set; } = [];

    /// <summary>Seconds the <c>swap-window</c> contender keeps its revert window open under the writer before finishing it.</summary>
    public double RevertWindowSeconds { get; set; } = 30;

    /// <summary>
    /// Chunk target time given with <c>--chunk-ms</c>, then passed to Swap and pt-online-schema-change
    /// alike. Without it each tool runs with its own default, as a user would run it
    /// (<see cref="SwapDefaultChunkMs"/>; pt-online-schema-change 0.5 s).
    /// </summary>
    public int ChunkMs { get; set; } = 500;

    /// <summary>True when <c>--chunk-ms</c> was given.</summary>
    public bool ChunkMsGiven { get; set; }

    /// <summary>Swap's own chunk target per engine (its engines' <c>DefaultChunkTime</c>), for the report when <c>--chunk-ms</c> is not given.</summary>
    public static int SwapDefaultChunkMs(string engine) => (int)(engine switch
    {
        "mariadb" => Swap.MySql.MySqlTableEngine.ChunkTime,
        "sqlite" => Swap.Sqlite.SqliteTableEngine.ChunkTime,
        _ => Swap.Engine.TableEngine.BaseChunkTime,
    }).TotalMilliseconds;

    public string OutDir { get; set; } = Path.Combine("artifacts", "bench");

    /// <summary>Where SQLite templates and workspaces live.</summary>
    public string WorkDir { get; set; } = Path.Combine(Path.GetTempPath(), "swap-bench");

    /// <summary>
    /// The <c>Swap.Cli.dll</c> the <c>swap-cli</c> and <c>swap-sql</c> contenders run (<c>--swap-cli</c>):
    /// the Bench target passes a ReadyToRun publish, the same files the linux-x64 tool package
    /// installs. Null: the built one beside the harness (JIT-compiled at every start, about 1 s
    /// slower to start a C# script than the installed command).
    /// </summary>
    public string? SwapCliDll { get; set; }

    public string? MySqlUrl { get; set; } = Environment.GetEnvironmentVariable("SWAP_TEST_MYSQL");

    public string? PostgresUrl { get; set; } = Environment.GetEnvironmentVariable("SWAP_TEST_POSTGRES");

    /// <summary>Prefix of every database, schema and file the run makes, so parallel runs do not collide.</summary>
    public string Prefix { get; set; } = "bench";

    /// <summary>Keep the workspaces after the run, for inspection.</summary>
    public bool Keep { get; set; }

    /// <summary>MariaDB keys are AUTO_INCREMENT (the default, as applications make them); false makes them plain BIGINT keys.</summary>
    public bool AutoIncrement { get; set; } = true;

    /// <summary>Profiling aid: PostgreSQL logs every autovacuum of the benchmark tables (a per-table option, which Swap's copy inherits).</summary>
    public bool TraceAutovacuum { get; set; }

    /// <summary>Remove the templates (and the PostgreSQL database) at the end: for runs with a throwaway prefix.</summary>
    public bool DropTemplates { get; set; }

    /// <summary>Install missing peer tools with apt-get (as root).</summary>
    public bool InstallPeers { get; set; } = true;

    /// <summary>Write charts (SVG) next to the JSON.</summary>
    public bool Charts { get; set; } = true;

    /// <summary>The command line, recorded in the results.</summary>
    public string CommandLine { get; set; } = "";

    public Action<string> Log { get; set; } = Console.WriteLine;

    public static BenchSettings Parse(string[] args)
    {
        var s = new BenchSettings { CommandLine = string.Join(' ', args) };
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--engine": s.Engines = ParseEngines(Value()); break;
                case "--rows": s.Rows = List(Value()).Select(ParseRows).ToList(); break;
                case "--scenario": s.Scenarios = Expand(List(Value()), ["all"], ["users", "attachments"]); break;
                case "--load": s.Loads = Expand(Expand(List(Value()), ["both"], ["idle", "write"]), ["all"], ["idle", "write"]); break;
                case "--rate": s.Rate = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--writers": s.Writers = int.Parse(Value(), CultureInfo.InvariantCulture) is > 0 and var w ? w : throw new ArgumentException("--writers must be 1 or more."); break;
                case "--baseline": s.BaselineSeconds = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--tail": s.TailSeconds = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--repeat": s.Repeat = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--contenders": s.Contenders = List(Value()); break;
                case "--change": s.AddColumnOnly = Value() switch { "full" => false, "add-column" => true, var v => throw new ArgumentException($"--change takes full or add-column, not '{v}'.") }; break;
                case "--window-seconds": s.RevertWindowSeconds = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--chunk-ms": s.ChunkMs = int.Parse(Value(), CultureInfo.InvariantCulture); s.ChunkMsGiven = true; break;
                case "--out": s.OutDir = Value(); break;
                case "--work": s.WorkDir = Value(); break;
                case "--swap-cli": s.SwapCliDll = Path.GetFullPath(Value()) is var dll && File.Exists(dll) ? dll : throw new ArgumentException($"--swap-cli names '{dll}', which does not exist."); break;
                case "--mysql": s.MySqlUrl = Value(); break;
                case "--postgres": s.PostgresUrl = Value(); break;
                case "--prefix": s.Prefix = Value(); break;
                case "--keep": s.Keep = true; break;
                case "--no-autoinc": s.AutoIncrement = false; break;
                case "--trace-autovacuum": s.TraceAutovacuum = true; break;
                case "--drop-templates": s.DropTemplates = true; break;
                case "--no-install": s.InstallPeers = false; break;
                case "--no-charts": s.Charts = false; break;
                case "--no-oracle": s.Oracle = false; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }
        return s;
    }

    private static List<string> List(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => v.ToLowerInvariant()).ToList();

    private static List<string> Expand(List<string> values, string[] alias, string[] meaning) =>
        values.SequenceEqual(alias) ? [.. meaning] : values;

    private static List<string> ParseEngines(string value) =>
        List(value) is ["all"] ? ["mariadb", "postgres", "sqlite"] : List(value).Select(e => e switch
        {
            "mysql" or "mariadb" => "mariadb",
            "pg" or "postgres" or "postgresql" => "postgres",
            "sqlite" => "sqlite",
            _ => throw new ArgumentException($"Unknown engine '{e}': use mariadb, postgres, sqlite or all."),
        }).ToList();

    /// <summary>1000000, 1M, 5m, 20k.</summary>
    private static long ParseRows(string text)
    {
        var t = text.Replace("_", "", StringComparison.Ordinal);
        var factor = t.EndsWith('k') ? 1_000L : t.EndsWith('m') ? 1_000_000L : 1L;
        if (factor > 1)
            t = t[..^1];
        return (long)(double.Parse(t, CultureInfo.InvariantCulture) * factor);
    }
}
