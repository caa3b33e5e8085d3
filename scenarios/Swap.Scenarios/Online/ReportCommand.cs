using System.Text.Json;
using Swap.Scenarios.Online.Output;

namespace Swap.Scenarios.Online;

/// <summary>
/// <c>report RESULTS.json... --out DIR</c>: renders summary.md and the SVG charts again from one or
/// more results files (several runs of one session into one report), without measuring anything.
/// </summary>
internal static class ReportCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var inputs = new List<string>();
        string? outDir = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Length)
                outDir = args[++i];
            else
                inputs.Add(Directory.Exists(args[i]) ? Path.Combine(args[i], "results.json") : args[i]);
        }
        if (inputs.Count == 0 || outDir is null)
        {
            Console.Error.WriteLine("Usage: report RESULTS.json|DIR... --out DIR");
            return 2;
        }
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
        var reports = new List<BenchReport>();
        foreach (var file in inputs)
        {
            await using var stream = File.OpenRead(file);
            reports.Add(await JsonSerializer.DeserializeAsync<BenchReport>(stream, options) ?? throw new InvalidDataException($"{file}: empty"));
        }
        var merged = new BenchReport(
            string.Join(", ", reports.Select(r => r.Date).Distinct()),
            reports[0].Machine,
            string.Join(" ; ", reports.Select(r => r.Command)),
            [.. reports.SelectMany(r => r.Engines)])
        { LoadAverageEnd = reports[^1].LoadAverageEnd };
        var folder = await BenchCommand.WriteAsync(merged, new BenchSettings { OutDir = outDir }, CancellationToken.None, timestamped: false);
        Console.WriteLine(MarkdownReport.Render(merged));
        Console.WriteLine($"Report: {folder}");
        return 0;
    }
}
