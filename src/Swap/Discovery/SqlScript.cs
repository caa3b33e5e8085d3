using Swap.Dialects;

namespace Swap.Discovery;

/// <summary>
/// A SQL migration: an up section, an optional down section (after a <c>-- swap:down</c> line, or
/// Uno's <c>-- DOWN</c>, or from a <c>.down.sql</c> file), and directives: <c>-- swap:after id[, id]</c>,
/// <c>-- swap:tags tag[, tag]</c>, <c>-- swap:no-transaction</c>, <c>-- swap:online</c>,
/// <c>-- swap:revert-window 24h</c> and <c>-- swap:revert-value [table.]column = sql</c>.
/// </summary>
internal sealed partial class SqlScript
{
    private SqlScript(string path, string up, int upLine, string? down, int downLine, string? downPath)
    {
        Path = path;
        Up = up;
        UpLine = upLine;
        Down = down;
        DownLine = downLine;
        DownPath = downPath;
    }

    public string Path { get; }
    public string Up { get; }
    public int UpLine { get; }
    public string? Down { get; }
    public int DownLine { get; }
    public string? DownPath { get; }
    public List<string> After { get; } = [];
    public List<string> Tags { get; } = [];

    /// <summary>True when the down section holds a statement; one with only comments (as <c>swap create</c> writes it) is no down.</summary>
    public bool HasDownStatements => Down is not null && !string.IsNullOrWhiteSpace(StripComments(BlockComment().Replace(Down, " ")));

    /// <summary>False while the up section holds only comments and directives (a stub from <c>swap create</c> not yet written).</summary>
    public bool HasUpStatements { get; internal set; }

    /// <summary>Why a script without up statements cannot run (or be planned): it says which file to fill in.</summary>
    public SwapException EmptyUpError(string id) => new(
        SwapErrorKind.InvalidMigration,
        $"{Path}(1): the SQL migration {id} has no statements in its up section yet (a stub from 'swap create' holds only comments). Write its statements above '-- swap:down' (or delete the file if it is not needed), then run again; nothing was run.")
    { ScriptId = id };

    /// <summary>True when a down section or file exists but holds no statement.</summary>
    public bool HasEmptyDown => Down is not null && !HasDownStatements;
    public bool NoTransaction { get; private set; }

    /// <summary>
    /// True with <c>-- swap:online</c>: the script's ALTER TABLE, CREATE INDEX and DROP INDEX
    /// statements run through the online copy-and-swap instead of as written.
    /// </summary>
    public bool Online { get; internal set; }

    /// <summary>
    /// With <c>-- swap:revert-window 24h</c> (an online script): the tables it swaps keep a revert
    /// window this long (see <c>swap revert</c>), whatever the run's <c>--revert-window</c> says.
    /// </summary>
    public TimeSpan? RevertWindow { get; private set; }

    /// <summary>
    /// With <c>-- swap:revert-value note = ''</c> (an online script): for a column the script drops,
    /// the value rows inserted while a revert window is open get in the kept old table, as
    /// <see cref="DbTable.SetRevertValue"/> gives it in a C# script.
    /// </summary>
    public List<SqlRevertValue> RevertValues { get; } = [];

    public IReadOnlyList<SqlStatement> UpStatements(SqlSyntax syntax) => SqlSplitter.Split(Up, syntax, Path, UpLine);

    public IReadOnlyList<SqlStatement> DownStatements(SqlSyntax syntax) =>
        Down is null ? [] : SqlSplitter.Split(Down, syntax, DownPath ?? Path, DownLine);

    /// <summary>Reads a script from its text (and the text of a separate down file, if any).</summary>
    public static SqlScript Parse(string path, string text, string? downPath = null, string? downText = null)
    {
        var lines = Normalize(text).Split('\n');
        var upEnd = lines.Length;
        var downStart = -1;
        var directives = new List<(int Line, string Name, string Arg)>();
        for (var n = 0; n < lines.Length; n++)
        {
            var trimmed = lines[n].Trim();
            if (!trimmed.StartsWith("--", StringComparison.Ordinal))
                continue;
            var body = trimmed[2..].Trim();
            // Uno's down marker: exactly '-- DOWN' (upper case, alone on its line), so an ordinary
            // comment such as '-- down the road' stays a comment.
            var unoDown = body == "DOWN";
            if (!unoDown && !body.StartsWith("swap:", StringComparison.OrdinalIgnoreCase))
                continue;
            var directive = unoDown ? "down" : body[5..].Trim();
            var space = directive.IndexOfAny([' ', '\t']);
            var name = (space < 0 ? directive : directive[..space]).ToLowerInvariant();
            var arg = space < 0 ? "" : directive[(space + 1)..].Trim();
            if (name == "down")
            {
                if (downStart >= 0)
                    throw Bad(path, n + 1, "has a second down marker ('-- swap:down' or '-- DOWN'); a script has one down section");
                if (downText is not null)
                    throw Bad(path, n + 1, $"has a '-- swap:down' section and also a separate down file {downPath}; keep one");
                downStart = n + 1;
                upEnd = n;
                continue;
            }
            directives.Add((n + 1, name, arg));
        }

        var up = string.Join('\n', lines[..upEnd]);
        string? down = downStart >= 0 ? string.Join('\n', lines[downStart..]) : downText is null ? null : Normalize(downText);
        var script = new SqlScript(path, up, 1, down, downStart >= 0 ? downStart + 1 : 1, downText is null ? null : downPath);
        foreach (var (line, name, arg) in directives)
        {
            switch (name)
            {
                case "after":
                    var ids = arg.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (ids.Length == 0)
                        throw Bad(path, line, "has '-- swap:after' without a script id; write '-- swap:after 20240101000000_create_users'");
                    script.After.AddRange(ids.Where(id => !script.After.Contains(id, StringComparer.Ordinal)));
                    break;
                case "tags":
                    script.Tags.AddRange(ScriptTags.Parse(arg, t => Bad(path, line, t)).Where(t => !script.Tags.Contains(t, StringComparer.Ordinal)));
                    break;
                case "no-transaction" or "online":
                    // A switch takes nothing: '-- swap:online off' must not turn the switch on.
                    if (arg.Length > 0)
                        throw Bad(path, line, $"has '-- swap:{name} {arg}', but '-- swap:{name}' takes nothing after it; to leave it off, remove the line");
                    if (name == "online")
                        script.Online = true;
                    else
                        script.NoTransaction = true;
                    break;
                case "revert-window":
                    if (!Durations.TryParse(arg, out var window) || window <= TimeSpan.Zero)
                        throw Bad(path, line, $"has '-- swap:revert-window {arg}', which is not a duration; write for example '-- swap:revert-window 24h'");
                    script.RevertWindow = window;
                    break;
                case "revert-value":
                    script.RevertValues.Add(SqlRevertValue.Parse(arg, line, what => Bad(path, line, what)));
                    break;
                default:
                    throw Bad(path, line, $"has an unknown directive '-- swap:{name}'; known directives are swap:down (or -- DOWN), swap:after, swap:tags, swap:no-transaction, swap:online, swap:revert-window and swap:revert-value");
            }
        }
        if (!script.Online && script.RevertValues.Count > 0)
            throw Bad(path, script.RevertValues[0].Line, "has '-- swap:revert-value' but no '-- swap:online': a revert value is for a column an online swap drops while it keeps a revert window; add '-- swap:online', or remove the line");
        // A fresh 'swap create' stub holds only comments: it loads (status and the other verbs work
        // while it is being written), and only running or planning it is refused (EmptyUpError).
        script.HasUpStatements = !string.IsNullOrWhiteSpace(StripComments(BlockComment().Replace(up, " ")));
        return script;
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');

    private static string StripComments(string sql) =>
        string.Join('\n', sql.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal)));

    [System.Text.RegularExpressions.GeneratedRegex(@"/\*.*?\*/", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex BlockComment();

    private static SwapException Bad(string path, int line, string what) =>
        new(SwapErrorKind.InvalidMigration, $"{path}({line}): the SQL migration {what}.");
}
