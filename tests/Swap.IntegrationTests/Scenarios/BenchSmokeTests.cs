using Swap.IntegrationTests.Infrastructure;
using Swap.Scenarios.Online;
using Swap.Scenarios.Online.Output;
using Xunit.Abstractions;

namespace Swap.IntegrationTests.Scenarios;

/// <summary>
/// The online-change benchmark end to end at a small size: every contender on every engine, idle
/// and under the writer, on identical data. Proves the harness works; it measures nothing (the
/// figures in docs/benchmarks.md come from full runs on demand: dotnet cake --target=Bench).
/// </summary>
public class BenchSmokeTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["mariadb"] = ["native", "ptosc", "swap", "limit"],
        ["postgres"] = ["native", "repack", "swap", "limit"],
        ["sqlite"] = ["native", "rebuild", "swap"],
    };

    [Fact]
    public async Task Every_contender_on_every_engine_ends_with_the_same_table()
    {
        var work = Directory.CreateTempSubdirectory("swap-bench-smoke-").FullName;
        var settings = new BenchSettings
        {
            Engines = ["mariadb", "postgres", "sqlite"],
            Rows = [20_000],
            Scenarios = ["users"],
            Loads = ["idle", "write"],
            Contenders = [.. Expected.Values.SelectMany(ids => ids).Distinct()],
            Rate = 500,
            BaselineSeconds = 1,
            TailSeconds = 0.3,
            MySqlUrl = Url(TestServers.MySqlVariable, () => TestServers.MySql),
            PostgresUrl = Url(TestServers.PostgresVariable, () => TestServers.Postgres),
            Prefix = UniqueName.Next("bench"),
            DropTemplates = true,
            WorkDir = work,
            OutDir = work,
            Log = output.WriteLine,
        };
        try
        {
            var report = await new BenchRunner(settings).RunAsync(CancellationToken.None);
            var folder = await BenchCommand.WriteAsync(report, settings, CancellationToken.None);
            output.WriteLine(MarkdownReport.Render(report));

            Assert.True(File.Exists(Path.Combine(folder, "results.json")));
            Assert.Equal(Expected.Keys.Order(), report.Engines.Select(e => e.Engine).Order());
            foreach (var engine in report.Engines)
            {
                Assert.Equal(2, engine.Groups.Count);
                foreach (var group in engine.Groups)
                {
                    var ids = Expected[engine.Engine].Where(id => group.Load == "idle" || id != "limit");
                    Assert.Equal(ids.Order(), group.Contenders.Select(c => c.Id).Order());
                    foreach (var c in group.Contenders)
                    {
                        Assert.True(c.Error is null, $"{engine.Engine}/{group.Load}/{c.Id}: {c.Error}");
                        Assert.True(c.WallSeconds > 0, $"{engine.Engine}/{group.Load}/{c.Id} has no wall time");
                        Assert.NotNull(c.Hash);
                        if (group.Load == "idle")
                            Assert.Equal(20_000, c.FinalRows);
                    }
                    // Every contender ends with the same content, after the same writes.
                    Assert.Single(group.Contenders.Select(c => c.Hash).Distinct());
                    Assert.True(group.ContentMatch);
                    if (group.Load == "write")
                    {
                        Assert.True(group.WritesCompared > 0, "the writer wrote nothing");
                        Assert.All(group.Contenders, c => Assert.True(c.WriterDuring is { Count: > 0 } && c.WriterBefore is { Count: > 0 }, $"{c.Id}: no writer samples"));
                    }
                }
                var swap = engine.Groups.SelectMany(g => g.Contenders).Where(c => c.Id == "swap").ToList();
                Assert.All(swap, s => Assert.True(s.PeakRssMb > 0, "no peak memory for Swap"));
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// The heavier load's shape (several writer connections) and Swap as a user runs it (the swap
    /// command with a C# script, compiled at start): every table ends equal to the oracle, a clone
    /// given the same writes in order on one connection; Swap reports its cut-over lock, backlog and phases.
    /// </summary>
    [Fact]
    public async Task Four_writers_and_the_swap_command_end_with_the_oracle_table()
    {
        var work = Directory.CreateTempSubdirectory("swap-bench-smoke-").FullName;
        var settings = new BenchSettings
        {
            Engines = ["mariadb", "postgres"],
            Rows = [20_000],
            Scenarios = ["users"],
            Loads = ["write"],
            Contenders = ["swap", "swap-cli"],
            Rate = 1000,
            Writers = 4,
            BaselineSeconds = 0.5,
            TailSeconds = 0.3,
            MySqlUrl = Url(TestServers.MySqlVariable, () => TestServers.MySql),
            PostgresUrl = Url(TestServers.PostgresVariable, () => TestServers.Postgres),
            Prefix = UniqueName.Next("benchw"),
            DropTemplates = true,
            WorkDir = work,
            OutDir = work,
            Charts = false,
            Log = output.WriteLine,
        };
        try
        {
            var report = await new BenchRunner(settings).RunAsync(CancellationToken.None);
            output.WriteLine(MarkdownReport.Render(report));
            Assert.Equal(["mariadb", "postgres"], report.Engines.Select(e => e.Engine).Order());
            foreach (var engine in report.Engines)
            {
                var group = Assert.Single(engine.Groups);
                Assert.Equal(4, group.Writers);
                Assert.Equal(["swap", "swap-cli"], group.Contenders.Select(c => c.Id).Order());
                Assert.True(group.WritesCompared > 0, "the writer wrote nothing");
                Assert.NotNull(group.OracleHash);
                foreach (var c in group.Contenders)
                {
                    Assert.True(c.Error is null, $"{engine.Engine}/{c.Id}: {c.Error}");
                    Assert.Equal(group.OracleHash, c.Hash);
                    Assert.True(c.WriterDuring is { Count: > 0 } && c.WriterBefore is { Count: > 0 }, $"{c.Id}: no writer samples");
                }
                Assert.True(group.ContentMatch);
                // A 20,000-row swap keeps its change log for about a second: the 100 ms poll may miss one
                // contender's, never both.
                Assert.True(group.Contenders.Any(c => c.Id is "swap" or "swap-cli" && c.Backlog is { Count: > 0 }), $"{engine.Engine}: no change-log backlog samples from swap or swap-cli");
                foreach (var swap in group.Contenders.Where(c => c.Id is "swap" or "swap-cli"))
                {
                    Assert.True(swap.PeakRssMb > 0, $"{swap.Id}: no peak memory");
                    Assert.Contains(swap.Phases, p => p.Phase == "Copying");
                    Assert.Contains(swap.Phases, p => p.Phase == "CuttingOver");
                }
                var worker = group.Contenders.Single(c => c.Id == "swap");
                Assert.Contains(worker.CutOverAttempts!, a => a.Succeeded);
                Assert.NotNull(worker.CutOverLockMs);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The server URL with its password (TestServers fails clearly when the variable is missing).</summary>
    private static string Url(string variable, Func<DatabaseUrl> check)
    {
        check();
        return Environment.GetEnvironmentVariable(variable)!;
    }
}
