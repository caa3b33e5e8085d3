using System.Text.Json;

namespace Swap.Cli;

/// <summary>
/// Where the CLI's settings come from, first match wins: command-line options, then the
/// environment (<c>SWAP_DB</c>), then <c>swap.json</c> in the working directory.
/// </summary>
internal sealed class CliSettings
{
    public string? Db { get; init; }
    public IReadOnlyList<string> Migrations { get; init; } = [];

    /// <summary>Compiled assemblies holding C# migrations.</summary>
    public IReadOnlyList<string> Assemblies { get; init; } = [];
    public string HistoryPrefix { get; init; } = "swap";
    public TimeSpan LockTimeout { get; init; } = TimeSpan.Zero;
    public string WorkingDirectory { get; init; } = ".";

    /// <summary>Values of <c>${name}</c> placeholders from swap.json.</summary>
    public IReadOnlyDictionary<string, string> Placeholders { get; init; } = new Dictionary<string, string>();

    /// <summary>The swap.json file, if one was read.</summary>
    public string? ConfigFile { get; init; }

    public DatabaseUrl RequireDb()
    {
        if (string.IsNullOrWhiteSpace(Db))
            throw new SwapException(SwapErrorKind.Usage, "No database given. Pass --db <url> (for example --db sqlite:app.db), set SWAP_DB, or put \"db\" in swap.json.");
        return DatabaseUrl.Parse(Db);
    }

    /// <summary>
    /// Fails with a usage error when no migrations were found anywhere: without it, a run from the
    /// wrong folder would see every applied script as missing and nothing pending.
    /// </summary>
    public void RequireMigrations()
    {
        if (Migrations.Count > 0 || Assemblies.Count > 0)
            return;
        var config = ConfigFile is null ? $"no swap.json in {WorkingDirectory}" : $"{ConfigFile} lists no \"migrations\" or \"assemblies\"";
        throw new SwapException(
            SwapErrorKind.Usage,
            $"No migrations to work with. Looked for: --migrations or --assembly (none given), {config}, and a 'migrations' folder in {WorkingDirectory} (none). Run swap from the folder that holds 'migrations', or pass --migrations <folder>.");
    }

    public static CliSettings Resolve(string? db, IReadOnlyList<string> migrations, string? historyPrefix, string? lockTimeout, string? configPath, Func<string, string?> environment, string workingDirectory, IReadOnlyList<string>? assemblies = null)
    {
        var file = configPath ?? Path.Combine(workingDirectory, "swap.json");
        SwapJson? json = null;
        if (File.Exists(file))
            json = Read(file);
        else if (configPath is not null)
            throw new SwapException(SwapErrorKind.Usage, $"The config file '{configPath}' does not exist.");

        var baseDir = json is null ? workingDirectory : Path.GetDirectoryName(Path.GetFullPath(file))!;
        var folders = migrations.Count > 0
            ? migrations.Select(m => Path.GetFullPath(m, workingDirectory)).ToList()
            : json?.Migrations?.Select(m => Path.GetFullPath(m, baseDir)).ToList() ?? [];
        if (folders.Count == 0 && (assemblies is not { Count: > 0 }) && json?.Assemblies is not { Count: > 0 } && Directory.Exists(Path.Combine(workingDirectory, "migrations")))
            folders.Add(Path.Combine(workingDirectory, "migrations"));

        var dlls = assemblies is { Count: > 0 }
            ? assemblies.Select(a => Path.GetFullPath(a, workingDirectory)).ToList()
            : json?.Assemblies?.Select(a => Path.GetFullPath(a, baseDir)).ToList() ?? [];
        foreach (var dll in dlls.Where(d => !File.Exists(d)))
            throw new SwapException(SwapErrorKind.Usage, $"The migrations assembly '{dll}' does not exist. Build it, or fix the path in --assembly or swap.json.");
        var timeout = lockTimeout ?? json?.LockTimeoutText;
        var prefix = historyPrefix ?? json?.HistoryPrefix ?? "swap";
        // An empty prefix (an unset shell variable, say) would start a second, empty history and apply every script again.
        if (string.IsNullOrWhiteSpace(prefix) || prefix != prefix.Trim())
            throw new SwapException(SwapErrorKind.Usage, $"The history prefix '{prefix}' is empty or has spaces around it; Swap would keep a second history under it and apply every script again. Give the prefix your history tables have (the default is 'swap': swap_history, swap_journal, swap_lock), or leave --history-prefix out.");
        return new CliSettings
        {
            Db = db ?? environment("SWAP_DB") ?? SqlitePathRelativeTo(json?.Db, baseDir),
            Migrations = folders,
            Assemblies = dlls,
            HistoryPrefix = prefix,
            LockTimeout = timeout is null ? TimeSpan.Zero : Durations.Parse(timeout, lockTimeout is not null ? "--lock-timeout" : $"\"lockTimeout\" in {file}:"),
            WorkingDirectory = workingDirectory,
            ConfigFile = json is null ? null : file,
            Placeholders = ReadPlaceholders(json?.Placeholders, file),
        };
    }

    /// <summary>
    /// A relative SQLite path in swap.json is relative to the file, as its folders are, so <c>--config</c> from another
    /// folder finds the same database rather than a new one beside the working directory. Other URLs stay as written,
    /// and so does one that does not parse, for <see cref="RequireDb"/> to say why.
    /// </summary>
    private static string? SqlitePathRelativeTo(string? db, string baseDir)
    {
        if (db is null || !DatabaseUrl.TryParse(db, out var url) || url is not { Engine: DatabaseEngine.Sqlite } || Path.IsPathRooted(url.Database))
            return db;
        return "sqlite:" + Path.GetFullPath(url.Database, baseDir);
    }

    private static Dictionary<string, string> ReadPlaceholders(Dictionary<string, string>? values, string file)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in values ?? [])
        {
            if (!Swap.Callbacks.Placeholders.IsValidName(name))
                throw new SwapException(SwapErrorKind.Usage, $"{file}: the placeholder name '{name}' is not valid: use letters, digits and '_', not starting with a digit.");
            result[name] = value ?? throw new SwapException(SwapErrorKind.Usage, $"{file}: the placeholder '{name}' is null; give it a string value.");
        }
        return result;
    }

    /// <summary>The keys swap.json may have, as the docs spell them.</summary>
    private static readonly string[] Keys = ["db", "migrations", "assemblies", "historyPrefix", "lockTimeout", "placeholders"];

    private static SwapJson Read(string file)
    {
        JsonDocument document;
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(file), options);
        }
        catch (JsonException e)
        {
            throw new SwapException(SwapErrorKind.Usage, $"{file} is not valid JSON: {JsonError(e)}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new SwapException(SwapErrorKind.Usage, $"{file} must hold one JSON object, like {{ \"db\": \"sqlite:app.db\" }}.");
            // A misspelt key would silently fall back to a default: a misspelt "historyPrefix" starts
            // a second history and applies every script again.
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!Keys.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                {
                    var near = Keys.FirstOrDefault(k => Distance(k.ToLowerInvariant(), property.Name.ToLowerInvariant()) <= 2);
                    throw new SwapException(
                        SwapErrorKind.Usage,
                        $"{file}: unknown key \"{property.Name}\"{(near is null ? "" : $" (did you mean \"{near}\"?)")}. The keys are {string.Join(", ", Keys.Select(k => "\"" + k + "\""))}; nothing was run.");
                }
            }
            try
            {
                return document.RootElement.Deserialize<SwapJson>(new JsonSerializerOptions { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) ?? new SwapJson();
            }
            catch (JsonException e)
            {
                throw new SwapException(SwapErrorKind.Usage, WrongType(file, document.RootElement, e));
            }
        }
    }

    /// <summary>
    /// The parser's message with its place counted as editors count it: System.Text.Json's
    /// "LineNumber: 2 | BytePositionInLine: 4." is zero-based, so it named the line above the mistake.
    /// </summary>
    internal static string JsonError(JsonException e)
    {
        var message = e.Message;
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (at >= 0)
            message = message[..at].TrimEnd();
        return e.LineNumber is { } line
            ? $"{message.TrimEnd('.')} (line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1})."
            : message;
    }

    /// <summary>What a key of the wrong type should hold, in the file's own terms rather than .NET's type names.</summary>
    private static string WrongType(string file, JsonElement root, JsonException e)
    {
        var key = e.Path is { } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..].Split('.', '[')[0] : null;
        var expected = key?.ToLowerInvariant() switch
        {
            "db" => "a database URL as a string, like \"sqlite:app.db\"",
            "historyprefix" => "a string, like \"swap\"",
            "migrations" => "a list of folders, like [\"migrations\"]",
            "assemblies" => "a list of paths to .dll files, like [\"bin/Shop.Migrations.dll\"]",
            "placeholders" => "an object of string values, like { \"schema\": \"app\" }",
            _ => null,
        };
        var given = root.EnumerateObject().Where(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase)).ToList();
        return expected is null || given is not [var property]
            ? $"{file}: a value has the wrong type: {e.Message}"
            : $"{file}: \"{property.Name}\" must be {expected}, not {property.Value.GetRawText()}; nothing was run.";
    }

    /// <summary>Levenshtein distance, for suggesting the key a misspelt one meant.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }

    private sealed class SwapJson
    {
        public string? Db { get; set; }
        public List<string>? Migrations { get; set; }
        public List<string>? Assemblies { get; set; }
        public string? HistoryPrefix { get; set; }
        /// <summary>A duration ("2m") or a plain number of seconds (90).</summary>
        public JsonElement? LockTimeout { get; set; }
        public Dictionary<string, string>? Placeholders { get; set; }

        public string? LockTimeoutText => LockTimeout switch
        {
            { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            { ValueKind: JsonValueKind.Null } or null => null,
            { } other => throw new SwapException(SwapErrorKind.Usage, $"\"lockTimeout\" must be a duration like \"2m\" or a number of seconds, not {other.GetRawText()}."),
        };
    }
}
