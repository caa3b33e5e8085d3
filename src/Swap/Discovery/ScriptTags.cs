using System.Text.RegularExpressions;

namespace Swap.Discovery;

/// <summary>Tags of a script: words of letters, digits, '_', '-' and '.', separated by commas or spaces.</summary>
internal static partial class ScriptTags
{
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
    private static partial Regex Valid();

    /// <summary>The tags of a <c>-- swap:tags</c> line or a <c>--tags</c> option; <paramref name="bad"/> makes the error for a malformed list.</summary>
    public static IReadOnlyList<string> Parse(string list, Func<string, Exception> bad)
    {
        var tags = list.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (tags.Length == 0)
            throw bad("has '-- swap:tags' without a tag; write '-- swap:tags seed, demo'");
        foreach (var tag in tags)
            Check(tag, bad);
        return tags.Distinct(StringComparer.Ordinal).ToList();
    }

    public static void Check(string tag, Func<string, Exception> bad)
    {
        if (!Valid().IsMatch(tag))
            throw bad($"has the tag '{tag}', which is not a tag: tags are letters, digits, '_', '-' and '.', separated by commas");
    }
}
