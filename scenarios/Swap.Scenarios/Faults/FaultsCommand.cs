using System.Diagnostics;
using System.Globalization;

namespace Swap.Scenarios.Faults;

/// <summary>
/// <c>faults [--engines mysql,postgres,sqlite] [--random N] [--seed S] [--rows N] [--only Fault]
/// [--point P] [--shape Shape] [--out folder]</c>: the full fault-injection run. For each engine: every fault point, N kills
/// at seeded random moments, server-side connection kills, a server restart and crash, and a
/// long transaction at cut-over, each under a concurrent writer and checked against the oracle.
/// Writes faults.json and faults.md (the matrix for docs/reliability.md). Exit 0 when every
/// trial passed.
/// </summary>
public static class FaultsCommand
{
    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var engines = new List<DatabaseEngine> { DatabaseEngine.MySql, DatabaseEngine.PostgreSql, DatabaseEngine.Sqlite };
        var random = 20;
        var seed = 7;
        var rows = 30_000;
        FaultKind? only = null;
        string? point = null;
        TableShape? shape = null;
        var output = Path.Combine(FaultEnvironment.RepositoryRoot, "artifacts", "faults");
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--engines":
                    engines = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseEngine).ToList();
                    break;
                case "--random": random = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--rows": rows = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--only": only = Enum.Parse<FaultKind>(Value(), ignoreCase: true); break;
                case "--point": point = Value(); break;
                case "--shape": shape = Enum.Parse<TableShape>(Value(), ignoreCase: true); break;
                case "--out": output = Path.GetFullPath(Value()); break;
                case "--sqlite-wal": FaultEnvironment.SqliteWal = true; break;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: faults [--engines mysql,postgres,sqlite] [--random N] [--seed S] [--rows N] [--only Fault] [--point P] [--shape Shape] [--sqlite-wal] [--out folder]");
                    return 2;
            }
        }

        if (FaultEnvironment.Missing(engines) is { } missing)
        {
            Console.Error.WriteLine(missing);
            return 2;
        }
        var plan = engines.SelectMany(e => FaultPlan.Full(e, random, seed, rows)).Where(t => (only is null || t.Fault == only) && (point is null || t.Point == point) && (shape is null || t.Shape == shape)).ToList();
        var command = "faults " + string.Join(' ', args);
        Console.WriteLine($"{plan.Count} trials on {string.Join(", ", engines)} (seed {seed}, {rows} rows, {random} random kills per engine); summary in {output}");
        var watch = Stopwatch.StartNew();
        var results = new List<TrialResult>();
        foreach (var spec in plan)
        {
            Console.WriteLine($"[{results.Count + 1}/{plan.Count}] {spec}");
            var result = await FaultTrial.RunAsync(spec, line => Console.WriteLine("    " + line.Replace("\n", "\n    ", StringComparison.Ordinal)));
            results.Add(result);
            FaultReport.Write(output, results, command, watch.Elapsed);
        }
        // A random kill that came after the run had finished proves nothing: top up until every
        // engine has as many kills that landed as asked for (at most as many extra trials again).
        if (only is null or FaultKind.KillAtRandom && point is null && shape is null)
        {
            foreach (var engine in engines)
            {
                var extra = 0;
                while (results.Count(r => r.Engine == engine && r.Spec.Fault == FaultKind.KillAtRandom && r.Landed) < random && extra < random)
                {
                    var spec = new TrialSpec(engine, FaultKind.KillAtRandom, seed + 1000 * (int)engine + 500 + extra++, Rows: rows);
                    Console.WriteLine($"[top-up] {spec}");
                    results.Add(await FaultTrial.RunAsync(spec, line => Console.WriteLine("    " + line.Replace("\n", "\n    ", StringComparison.Ordinal))));
                    FaultReport.Write(output, results, command, watch.Elapsed);
                }
            }
        }
        FaultReport.Write(output, results, command, watch.Elapsed);
        Console.WriteLine();
        Console.WriteLine(FaultReport.Markdown(results, command, watch.Elapsed));
        return results.All(r => r.Passed) ? 0 : 1;
    }

    private static DatabaseEngine ParseEngine(string name) => name.ToLowerInvariant() switch
    {
        "mysql" or "mariadb" => DatabaseEngine.MySql,
        "postgres" or "postgresql" or "pg" => DatabaseEngine.PostgreSql,
        "sqlite" => DatabaseEngine.Sqlite,
        _ => throw new ArgumentException($"Unknown engine '{name}': use mysql, postgres or sqlite."),
    };
}
