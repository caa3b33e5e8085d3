using System.Text.RegularExpressions;
using Swap.Discovery;

namespace Swap.Callbacks;

/// <summary>
/// <c>${name}</c> placeholders in SQL scripts and SQL callbacks, replaced by text from swap.json or
/// <c>--placeholder name=value</c>. Every placeholder must be defined before anything runs.
/// </summary>
internal static partial class Placeholders
{
    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Name();

    public static bool IsValidName(string name) => Name().IsMatch(name);

    /// <summary>The text with every placeholder replaced (all are known to be defined by <see cref="Check"/>).</summary>
    public static string Apply(string text, IReadOnlyDictionary<string, string> values) =>
        !text.Contains("${", StringComparison.Ordinal) ? text : Pattern().Replace(text, m => values.TryGetValue(m.Groups["name"].Value, out var v) ? v : m.Value);

    /// <summary>Refuses (usage error, nothing runs) the first placeholder of any SQL script or callback that has no value.</summary>
    public static void Check(MigrationCatalog catalog, IReadOnlyDictionary<string, string> values)
    {
        foreach (var script in catalog.Scripts.Where(s => s.Sql is not null))
        {
            CheckText(script.Sql!.Path, script.Sql.Up, script.Sql.UpLine, values);
            if (script.Sql.Down is { } down)
                CheckText(script.Sql.DownPath ?? script.Sql.Path, down, script.Sql.DownPath is null ? script.Sql.DownLine : 1, values);
        }
        foreach (var callback in catalog.Callbacks.Sql.Values)
            CheckText(callback.Path, callback.Text, 1, values);
    }

    private static void CheckText(string path, string text, int firstLine, IReadOnlyDictionary<string, string> values)
    {
        foreach (Match m in Pattern().Matches(text))
        {
            var name = m.Groups["name"].Value;
            if (values.ContainsKey(name))
                continue;
            var line = firstLine + text.AsSpan(0, m.Index).Count('\n');
            throw new SwapException(
                SwapErrorKind.Usage,
                $"{path}({line}): the placeholder ${{{name}}} has no value; nothing was run. Give it in swap.json (\"placeholders\": {{ \"{name}\": \"...\" }}) or with --placeholder {name}=<value>." +
                (values.Count == 0 ? "" : $" Defined placeholders: {string.Join(", ", values.Keys.Order(StringComparer.Ordinal))}."));
        }
    }
}
