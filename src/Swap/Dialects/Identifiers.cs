namespace Swap.Dialects;

/// <summary>
/// Checks names that reach SQL. Names are always quoted by the dialect; on top of that, Swap
/// refuses names whose characters make quoting easy to get wrong elsewhere (in the user's own
/// tools, logs and scripts): quote characters, semicolons, control characters, and edge spaces.
/// Unicode letters and reserved words are fine.
/// </summary>
internal static class Identifiers
{
    /// <summary>
    /// True when <paramref name="sql"/> names <paramref name="name"/> as a whole word, quoted or not,
    /// in any case. A mention inside a string or comment counts too: callers use it to refuse or to
    /// take the safer path, never to change SQL.
    /// </summary>
    public static bool IsNamedIn(string sql, string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(sql, $@"(?<![\w$]){System.Text.RegularExpressions.Regex.Escape(name)}(?![\w$])", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Throws a <see cref="SwapException"/> (<see cref="SwapErrorKind.Refused"/>) that says what is wrong and what to do.</summary>
    public static string Validate(string? name, string what, int maxLength) => Validate(name, what, maxLength, bytes: false);

    /// <summary>Validates against the dialect's limit, in bytes where the engine counts bytes (PostgreSQL).</summary>
    public static string Validate(string? name, string what, SqlDialect dialect) =>
        Validate(name, what, dialect.MaxIdentifierLength, dialect.IdentifierLengthInBytes);

    /// <summary>Validates against a limit of <paramref name="maxLength"/> characters, or UTF-8 bytes when <paramref name="bytes"/>.</summary>
    public static string Validate(string? name, string what, int maxLength, bool bytes)
    {
        if (string.IsNullOrEmpty(name))
            throw Refuse($"The {what} name is empty.", "Give a non-empty name.");
        var problem = Problem(name, maxLength, bytes);
        if (problem is not null)
            throw Refuse($"The {what} name {Show(name)} {problem}.", $"Rename the {what}, or pick another name; Swap accepts letters (any script), digits, '_', '$', '-', spaces inside the name and reserved words.");
        return name;
    }

    /// <summary>Null when the name is acceptable, else what is wrong with it.</summary>
    public static string? Problem(string name, int maxLength, bool bytes = false)
    {
        if (name.Length > maxLength)
            return $"is {name.Length} characters long; the engine keeps at most {maxLength}";
        // PostgreSQL counts bytes and cuts a longer name without a word: the object would get another name than the script's.
        if (bytes && System.Text.Encoding.UTF8.GetByteCount(name) is var n && n > maxLength)
            return $"is {n} bytes long in UTF-8 ({name.Length} characters); the engine keeps at most {maxLength} bytes and would cut it";
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

    /// <summary>
    /// <paramref name="name"/> when it fits <paramref name="maxLength"/> UTF-8 bytes, else its start
    /// and a hash of the whole name, together that long. Bytes, not characters: PostgreSQL's limit
    /// (63) is in bytes and it cuts a longer name silently, hash and all; a name that fits in bytes
    /// also fits MySQL's limit in characters.
    /// </summary>
    public static string Shorten(string name, int maxLength)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(name) <= maxLength)
            return name;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..8];
        return Prefix(name, maxLength - 9) + "_" + hash;
    }

    /// <summary>The longest start of <paramref name="name"/> of at most <paramref name="bytes"/> UTF-8 bytes (at least one character), never splitting a character.</summary>
    public static string Prefix(string name, int bytes)
    {
        var end = 0;
        var used = 0;
        while (end < name.Length)
        {
            var step = char.IsSurrogatePair(name, end) ? 2 : 1;
            var size = System.Text.Encoding.UTF8.GetByteCount(name.AsSpan(end, step));
            if (used + size > bytes && end > 0)
                break;
            used += size;
            end += step;
        }
        return name[..end];
    }

    /// <summary>The name in quotes, with control characters made visible.</summary>
    public static string Show(string name) =>
        "'" + string.Concat(name.Select(c => c < ' ' ? $"\\u{(int)c:x4}" : c.ToString())) + "'";

    private static SwapException Refuse(string what, string todo) => new(SwapErrorKind.Refused, what + " " + todo);
}
