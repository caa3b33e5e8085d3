namespace Swap.Dialects;

/// <summary>
/// Checks names that reach SQL. Names are always quoted by the dialect; on top of that, Swap
/// refuses names whose characters make quoting easy to get wrong elsewhere (in the user's own
/// tools, logs and scripts): quote characters, semicolons, control characters, and edge spaces.
/// Unicode letters and reserved words are fine.
/// </summary>
internal static class Identifiers
{
    /// <summary>Throws a <see cref="SwapException"/> (<see cref="SwapErrorKind.Refused"/>) that says what is wrong and what to do.</summary>
    public static string Validate(string? name, string what, int maxLength)
    {
        if (string.IsNullOrEmpty(name))
            throw Refuse($"The {what} name is empty.", "Give a non-empty name.");
        var problem = Problem(name, maxLength);
        if (problem is not null)
            throw Refuse($"The {what} name {Show(name)} {problem}.", $"Rename the {what}, or pick another name; Swap accepts letters (any script), digits, '_', '$', '-', spaces inside the name and reserved words.");
        return name;
    }

    /// <summary>Null when the name is acceptable, else what is wrong with it.</summary>
    public static string? Problem(string name, int maxLength)
    {
        if (name.Length > maxLength)
            return $"is {name.Length} characters long; the engine keeps at most {maxLength}";
        foreach (var c in name)
        {
            switch (c)
            {
                case '\'': return "contains a single quote (')";
                case '"': return "contains a double quote (\")";
                case '`': return "contains a backtick (`)";
                case ';': return "contains a semicolon (;)";
                case '\\': return "contains a backslash (\\)";
                case < ' ' or '\u007f': return $"contains the control character U+{(int)c:X4}";
            }
        }
        if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
            return "starts or ends with a space";
        return null;
    }

    /// <summary>The name in quotes, with control characters made visible.</summary>
    public static string Show(string name) =>
        "'" + string.Concat(name.Select(c => c < ' ' ? $"\\u{(int)c:x4}" : c.ToString())) + "'";

    private static SwapException Refuse(string what, string todo) => new(SwapErrorKind.Refused, what + " " + todo);
}
