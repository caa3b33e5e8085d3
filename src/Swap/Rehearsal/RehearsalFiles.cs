namespace Swap.Rehearsal;

/// <summary>Writes the report as <c>rehearsal.md</c>, <c>rehearsal.json</c> and <c>rehearsal.html</c> into a folder.</summary>
internal static class RehearsalFiles
{
    public static async Task<IReadOnlyList<string>> WriteAsync(RehearsalReport report, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var files = new (string Name, string Text)[]
        {
            ("rehearsal.md", RehearsalMarkdown.Write(report)),
            ("rehearsal.json", RehearsalJson.Write(report)),
            ("rehearsal.html", RehearsalHtml.Write(report)),
        };
        var paths = new List<string>();
        foreach (var (name, text) in files)
        {
            var path = Path.Combine(directory, name);
            await File.WriteAllTextAsync(path, text, cancellationToken);
            paths.Add(path);
        }
        return paths;
    }
}
