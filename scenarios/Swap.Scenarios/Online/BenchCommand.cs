using System.Globalization;
using System.Text.Json;
using Swap.Scenarios.Online.Engines;
using Swap.Scenarios.Online.Output;

namespace Swap.Scenarios.Online;

/// <summary>
/// <c>bench</c>: runs the online-change benchmark (see <see cref="BenchSettings"/> for options) and
/// writes results.json, summary.md and one SVG chart per engine, size and load into a time-stamped
/// folder under <c>--out</c>.
/// </summary>
internal static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        BenchSettings settings;
        try
        {
            settings = BenchSettings.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("Usage: bench [--engine mariadb,postgres,sqlite|all] [--rows 1000000,5000000] [--scenario users|attachments|all] [--load idle|write|both] [--rate 500] [--writers 1] [--baseline 10] [--repeat 1] [--contenders ids] [--chunk-ms 500] [--out DIR] [--keep]");
            return 2;
        }
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        BenchReport report;
        try
        {
            report = await new BenchRunner(settings).RunAsync(cancel.Token);
        }
        catch (ServerBusyException e)
        {
            Console.Error.WriteLine(e.Message);
            return 3;
        }
        var folder = await WriteAsync(report, settings, cancel.Token);
        Console.WriteLine();
        Console.WriteLine(MarkdownReport.Render(report));
        Console.WriteLine($"Results: {folder}");
        return report.Engines.SelectMany(e => e.Groups).All(g => g.ContentMatch && g.Contenders.All(c => c.Error is null)) ? 0 : 1;
    }

    public static async Task<string> WriteAsync(BenchReport report, BenchSettings settings, CancellationToken ct, bool timestamped = true)
    {
        var folder = timestamped ? Path.Combine(settings.OutDir, DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)) : settings.OutDir;
        Directory.CreateDirectory(folder);
        var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
        await File.WriteAllTextAsync(Path.Combine(folder, "results.json"), json, ct);
        await File.WriteAllTextAsync(Path.Combine(folder, "summary.md"), MarkdownReport.Render(report), ct);
        if (settings.Charts)
        {
            foreach (var engine in report.Engines)
            {
                foreach (var g in engine.Groups)
                {
                    var name = ChartName(engine, g);
                    await File.WriteAllTextAsync(Path.Combine(folder, name), SvgChart.Render(engine.Engine, g), ct);
                }
            }
        }
        return folder;
    }

    /// <summary>mariadb-users-1000000-write.svg (-write-2000x4 for another rate or several connections); the engine's note (e.g. no AUTO_INCREMENT) and chunk time make it unique across runs.</summary>
    public static string ChartName(EngineReport engine, GroupReport g) =>
        string.Create(CultureInfo.InvariantCulture, $"{engine.Engine}{engine.Variant}-{g.Table}-{g.Rows}-{g.Load}{(g.Load != "idle" && (g.Rate != 500 || g.Writers > 1) ? $"-{g.Rate}x{g.Writers}" : "")}{(g.Round > 1 ? "-r" + g.Round : "")}.svg");
}
