using System.Text;
using System.Text.RegularExpressions;

namespace Swap.Tests.Engine.Approval;

/// <summary>
/// The SQL of one dialect and case as one readable document: statement groups, each under a
/// header comment (<c>-- CreateCopy</c>, <c>-- ApplyRows(3)</c>), statements ended by <c>;</c>, a
/// blank line between statements. Comment lines inside a group start lower-case, so they are never
/// taken for a header.
/// </summary>
internal static partial class SqlDocument
{
    public static string Write(IEnumerable<(string Group, IReadOnlyList<string> Statements)> groups)
    {
        var text = new StringBuilder();
        foreach (var (group, statements) in groups)
        {
            if (!Header().IsMatch("-- " + group))
                throw new ArgumentException($"'{group}' is not a group header: a capital letter, then letters, then optional (arguments).", nameof(groups));
            text.Append("-- ").Append(group).Append('\n');
            foreach (var statement in statements)
                text.Append(statement).Append(EndsInComment(statement) ? "" : ";").Append("\n\n");
            if (statements.Count == 0)
                text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>A comment line, or a plan line ending in a comment (<c>PRAGMA foreign_keys = ON -- if it was on</c>): no terminator after it.</summary>
    private static bool EndsInComment(string statement) =>
        statement[(statement.LastIndexOf('\n') + 1)..].Contains("--", StringComparison.Ordinal);

    /// <summary>The document's groups in order, each with its text.</summary>
    public static IReadOnlyList<(string Group, string Text)> Groups(string document)
    {
        var groups = new List<(string Group, string Text)>();
        foreach (var line in document.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (Header().IsMatch(line))
                groups.Add((line[3..], ""));
            else if (groups.Count > 0)
                groups[^1] = (groups[^1].Group, groups[^1].Text + line + "\n");
            else
                groups.Add(("(before the first header)", line + "\n"));
        }
        return groups;
    }

    /// <summary>The groups whose text differs between the two documents, or that only one of them has.</summary>
    public static IReadOnlyList<string> DifferingGroups(string approved, string received)
    {
        var a = Groups(approved);
        var r = Groups(received);
        var names = a.Select(g => g.Group).Concat(r.Select(g => g.Group)).Distinct(StringComparer.Ordinal);
        return names.Where(n => Text(a, n) != Text(r, n)).ToList();
    }

    private static string? Text(IReadOnlyList<(string Group, string Text)> groups, string name) =>
        string.Join("\u0000", groups.Where(g => g.Group == name).Select(g => g.Text)) is { Length: > 0 } t ? t : null;

    [GeneratedRegex(@"^-- [A-Z][A-Za-z]*(\([^)]*\))?$")]
    private static partial Regex Header();
}
