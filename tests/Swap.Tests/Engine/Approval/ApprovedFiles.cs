using System.Reflection;

namespace Swap.Tests.Engine.Approval;

/// <summary>
/// Where the approved SQL lives: <c>Engine/Approved/&lt;dialect&gt;/&lt;case&gt;.sql</c>, copied to the
/// test output by the project file. A mismatch writes <c>&lt;case&gt;.received.sql</c> next to the
/// approved file in the source tree (the project directory recorded at build time), or next to the
/// output copy when the tests run away from their source.
/// </summary>
internal static class ApprovedFiles
{
    private const string Folder = "Approved";

    public static string Approved(string dialect, string @case) =>
        Path.Combine(AppContext.BaseDirectory, "Engine", Folder, dialect, @case + ".sql");

    public static string Received(string dialect, string @case) =>
        Path.Combine(SourceFolder() ?? Path.Combine(AppContext.BaseDirectory, "Engine", Folder), dialect, @case + ".received.sql");

    /// <summary>The approved file in the source tree, the one to replace when approving; the output copy when there is no source tree.</summary>
    public static string ApprovedSource(string dialect, string @case) =>
        SourceFolder() is { } source ? Path.Combine(source, dialect, @case + ".sql") : Approved(dialect, @case);

    private static string? SourceFolder()
    {
        var project = typeof(ApprovedFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "SwapTestsProjectDirectory")?.Value;
        var folder = project is null ? null : Path.Combine(project, "Engine", Folder);
        return folder is not null && Directory.Exists(folder) ? folder : null;
    }
}
