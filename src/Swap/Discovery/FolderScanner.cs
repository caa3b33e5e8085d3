using System.Text.RegularExpressions;

namespace Swap.Discovery;

/// <summary>
/// Reads a module's migrations folder: timestamped (or Flyway-versioned) SQL scripts and C# files at
/// the top, and group folders (<c>YYYY-MM-DD-name</c>) whose scripts form one bigger transformation.
/// </summary>
internal static partial class FolderScanner
{
    [GeneratedRegex(@"^(?<stem>\d+_[^.]+)(?<down>\.(up|down))?\.sql$", RegexOptions.IgnoreCase)]
    private static partial Regex TimestampedSql();

    [GeneratedRegex(@"^(?<stem>[^.]+)(?<down>\.(up|down))?\.sql$", RegexOptions.IgnoreCase)]
    private static partial Regex AnySql();

    // A numbered script as DbUp and hand-kept folders name them: "0001 - create users.sql", "Script0002.sql".
    [GeneratedRegex(@"^(?:script)?(?<number>\d+)(?<rest>[^.]*)\.sql$", RegexOptions.IgnoreCase)]
    private static partial Regex NumberedSql();

    // A script named by a date written with separators, as group folders are: "2026-12-06-0001-add-index.sql".
    [GeneratedRegex(@"^(?<y>(?:19|20)\d\d)[-_.](?<m>[01]\d)[-_.](?<d>[0-3]\d)(?:[-_.T ](?<t>\d+))?(?<rest>[^.]*)\.sql$", RegexOptions.IgnoreCase)]
    private static partial Regex DatedSql();

    /// <summary>
    /// The name to suggest for a misnamed script that starts with a number: its number (a date written
    /// with separators becomes one timestamp, so the scripts keep their date order), an underscore,
    /// and its words. Null when it does not start with a number.
    /// </summary>
    private static string? SuggestedName(string name)
    {
        string number, rest;
        if (DatedSql().Match(name) is { Success: true } dated)
        {
            number = dated.Groups["y"].Value + dated.Groups["m"].Value + dated.Groups["d"].Value + dated.Groups["t"].Value;
            rest = dated.Groups["rest"].Value;
        }
        else if (NumberedSql().Match(name) is { Success: true } numbered)
        {
            number = numbered.Groups["number"].Value;
            rest = numbered.Groups["rest"].Value;
        }
        else
        {
            return null;
        }
        var words = string.Join('_', Regex.Split(rest, @"[^\p{L}\p{N}]+")
            .Where(static w => w.Length > 0)
            .Select(static w => w.ToLowerInvariant()));
        return $"{number}_{(words.Length > 0 ? words : "script")}.sql";
    }

    // Flyway's names: V<version>__<description>.sql (with Swap's .up/.down pair), and its undo U<version>__<description>.sql.
    // The prefix letter is upper case only, as Flyway has it; the extension may be in any case, as for other names.
    // A description may hold dots, as Flyway's may (V1__add.users.sql); a last .up or .down is Swap's pair.
    [GeneratedRegex(@"^(?<stem>V(?<version>\d+(?:[._]\d+)*)__.+?)(?<down>\.(?i:up|down))?\.(?i:sql)$")]
    private static partial Regex FlywayVersioned();

    [GeneratedRegex(@"^U(?<version>\d+(?:[._]\d+)*)__.+\.(?i:sql)$")]
    private static partial Regex FlywayUndo();

    // What a Flyway user may have that is not one of the names above: a repeatable script, a lower-case
    // prefix, or a versioned name that is off (V1_init.sql, V1__add.users.sql).
    [GeneratedRegex(@"^(?i:R__)")]
    private static partial Regex FlywayRepeatable();

    [GeneratedRegex(@"^[VU]\d")]
    private static partial Regex FlywayLike();

    [GeneratedRegex(@"^B\d+(?:[._]\d+)*__")]
    private static partial Regex FlywayBaseline();

    [GeneratedRegex(@"^[vu]\d+(?:[._]\d+)*__")]
    private static partial Regex FlywayLowerCase();

    // Flyway's callbacks that Swap has under another name, or with a description Swap does not take.
    [GeneratedRegex(@"^(?<event>beforeEachMigrate|afterEachMigrate|beforeMigrate|afterMigrate)(__[^.]*)?\.sql$", RegexOptions.IgnoreCase)]
    private static partial Regex FlywayCallback();

    /// <param name="Version">The version of a Flyway-named script (<c>V1.1__name.sql</c>), else null.</param>
    internal sealed record SqlFile(string Module, string? Group, string Stem, string UpPath, string? DownPath, ScriptVersion? Version = null);

    internal sealed record CsFile(string Module, string? Group, string Path);

    public static (List<SqlFile> Sql, List<CsFile> CSharp) Scan(FolderSource source) => Scan(source, []);

    /// <summary>Scans a module; SQL callback files (<c>beforeEach.sql</c> ...) at its top go into <paramref name="callbacks"/>.</summary>
    public static (List<SqlFile> Sql, List<CsFile> CSharp) Scan(FolderSource source, List<string> callbacks)
    {
        var root = Path.GetFullPath(source.Path);
        if (!Directory.Exists(root))
            throw new SwapException(SwapErrorKind.Usage, $"The migrations folder '{source.Path}' does not exist. Pass an existing folder with --migrations, or fix swap.json.");
        string folder;
        string module;
        if (Directory.Exists(Path.Combine(root, "migrations")))
        {
            folder = Path.Combine(root, "migrations");
            module = source.Module ?? new DirectoryInfo(root).Name;
        }
        else
        {
            folder = root;
            var info = new DirectoryInfo(root);
            module = source.Module ?? (info.Name.Equals("migrations", StringComparison.OrdinalIgnoreCase) && info.Parent is not null ? info.Parent.Name : info.Name);
        }

        var sql = new List<SqlFile>();
        var cs = new List<CsFile>();
        ScanFolder(folder, module, null, requireTimestamp: true, sql, cs, callbacks);
        foreach (var sub in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(sub);
            if (name.StartsWith('.') || name is "bin" or "obj")
                continue;
            if (!GroupFolder.IsGroup(name))
            {
                throw new SwapException(
                    SwapErrorKind.InvalidMigration,
                    $"The folder '{sub}' is not a migration group: group folders are named YYYY-MM-DD-name (for example 2026-11-21-user-roles). Rename it, or move it out of the migrations folder.");
            }
            ScanFolder(sub, module, name, requireTimestamp: false, sql, cs, callbacks);
        }
        return (sql, cs);
    }

    private static void ScanFolder(string folder, string module, string? group, bool requireTimestamp, List<SqlFile> sql, List<CsFile> cs, List<string> callbacks)
    {
        var ups = new Dictionary<string, string>(StringComparer.Ordinal);
        var downs = new Dictionary<string, string>(StringComparer.Ordinal);
        var versions = new Dictionary<string, ScriptVersion>(StringComparer.Ordinal);
        var undos = new List<(ScriptVersion Version, string Path)>();
        var misnamed = new List<(string Path, string? Suggested)>();
        foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
            {
                cs.Add(new CsFile(module, group, file));
                continue;
            }
            if (!name.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
                continue;
            if (Callbacks.CallbackEvents.FromFileName(name) is not null)
            {
                if (group is not null)
                    throw new SwapException(SwapErrorKind.InvalidMigration, $"'{file}' has a callback's name, but callbacks go at the top of a migrations folder, not in a group. Move it up, or rename it if it is a script.");
                callbacks.Add(file);
                continue;
            }
            if (requireTimestamp && FlywayName(file, name, ups, downs, versions, undos))
                continue;
            var m = (requireTimestamp ? TimestampedSql() : AnySql()).Match(name);
            if (!m.Success)
            {
                misnamed.Add((file, requireTimestamp ? SuggestedName(name) : null));
                continue;
            }
            var stem = m.Groups["stem"].Value;
            var isDown = m.Groups["down"].Value.Equals(".down", StringComparison.OrdinalIgnoreCase);
            var target = isDown ? downs : ups;
            if (!target.TryAdd(stem, file))
                throw new SwapException(SwapErrorKind.InvalidMigration, $"'{file}' and '{target[stem]}' both define the script {stem}. Keep one.");
        }
        if (misnamed.Count > 0)
            throw Misnamed(folder, misnamed);
        foreach (var (stem, down) in downs)
        {
            if (!ups.ContainsKey(stem))
                throw new SwapException(SwapErrorKind.InvalidMigration, $"'{down}' has no matching up script {stem}.up.sql. Add it, or delete the down file.");
        }
        PairUndos(folder, ups, downs, versions, undos);
        foreach (var (stem, up) in ups)
            sql.Add(new SqlFile(module, group, stem, up, downs.GetValueOrDefault(stem), versions.GetValueOrDefault(stem)));
    }

    private const string NamingRule = "<timestamp>_<name>.sql (for example 20261121083000_create_users.sql, or a .up.sql/.down.sql pair)";
    private const string NumberedKeepOrder = "(a number or a timestamp, an underscore, a name: numbered scripts such as DbUp's keep their order)";

    /// <summary>
    /// One error for every misnamed script of a folder, so that a folder of DbUp-style names is renamed in
    /// one pass rather than one file per run; one misnamed file keeps the one-line message.
    /// </summary>
    private static SwapException Misnamed(string folder, List<(string Path, string? Suggested)> misnamed)
    {
        if (misnamed.Count == 1)
        {
            var (file, suggested) = misnamed[0];
            var rename = suggested is null ? "Rename it" : $"Rename it to '{suggested}' {NumberedKeepOrder}";
            return new SwapException(
                SwapErrorKind.InvalidMigration,
                $"'{file}' is not named {NamingRule}. {rename}, or run 'swap create' to make a correctly named script.");
        }
        var lines = misnamed.Select(static x => x.Suggested is null
            ? $"  '{Path.GetFileName(x.Path)}'"
            : $"  '{Path.GetFileName(x.Path)}' -> '{x.Suggested}'");
        var named = misnamed.Count(static x => x.Suggested is not null);
        var how = named == 0 ? "Rename them"
            : named == misnamed.Count ? $"Rename each as shown {NumberedKeepOrder}"
            : $"Rename each as shown {NumberedKeepOrder}, and give the others a timestamp and a name";
        how += ", or run 'swap create' to make correctly named scripts";
        return new SwapException(
            SwapErrorKind.InvalidMigration,
            $"{misnamed.Count} files in '{folder}' are not named {NamingRule}. {how}:\n{string.Join('\n', lines)}");
    }

    /// <summary>
    /// Takes a Flyway-named file at the top of a migrations folder: a versioned script (or its
    /// .up/.down file) into <paramref name="ups"/>/<paramref name="downs"/>, an undo script into
    /// <paramref name="undos"/>. Refuses what Flyway would have named differently. False for other names.
    /// </summary>
    private static bool FlywayName(string file, string name, Dictionary<string, string> ups, Dictionary<string, string> downs, Dictionary<string, ScriptVersion> versions, List<(ScriptVersion, string)> undos)
    {
        if (FlywayVersioned().Match(name) is { Success: true } v)
        {
            var stem = v.Groups["stem"].Value;
            var version = ScriptVersion.Parse(v.Groups["version"].Value);
            var isDown = v.Groups["down"].Value.Equals(".down", StringComparison.OrdinalIgnoreCase);
            var target = isDown ? downs : ups;
            if (!target.TryAdd(stem, file))
                throw new SwapException(SwapErrorKind.InvalidMigration, $"'{file}' and '{target[stem]}' both define the script {stem}. Keep one.");
            if (!isDown)
            {
                var same = versions.FirstOrDefault(x => x.Value.Equals(version));
                if (same.Key is not null)
                {
                    throw new SwapException(
                        SwapErrorKind.InvalidMigration,
                        $"'{ups[same.Key]}' and '{file}' both have version {version} (versions compare by number: V1.1 and V1_1 are the same, and so are V1 and V1.0); Flyway refuses this too. Give one of them another version.");
                }
                versions[stem] = version;
            }
            return true;
        }
        if (FlywayUndo().Match(name) is { Success: true } u)
        {
            undos.Add((ScriptVersion.Parse(u.Groups["version"].Value), file));
            return true;
        }
        if (FlywayRepeatable().IsMatch(name))
        {
            throw new SwapException(
                SwapErrorKind.InvalidMigration,
                $"'{file}' is a Flyway repeatable script (R__<description>.sql), and Swap has no repeatable scripts: every script runs once. " +
                "Make what it creates a versioned script (rename it to V<version>__<description>.sql or <timestamp>_<name>.sql, and write a new script for each later change), or move it out of the migrations folder.");
        }
        if (FlywayBaseline().IsMatch(name))
        {
            throw new SwapException(
                SwapErrorKind.InvalidMigration,
                $"'{file}' is a Flyway baseline migration (B<version>__<description>.sql), which Flyway runs on a new database in place of the versions up to it. Swap has none: a new database runs every versioned script. " +
                "Move it out of the migrations folder; the versioned scripts make the same schema.");
        }
        if (FlywayCallback().Match(name) is { Success: true } callback)
        {
            var swapName = callback.Groups["event"].Value.ToLowerInvariant() switch
            {
                "beforeeachmigrate" => "beforeEach.sql",
                "aftereachmigrate" => "afterEach.sql",
                "beforemigrate" => "beforeMigrate.sql",
                _ => "afterMigrate.sql",
            };
            throw new SwapException(
                SwapErrorKind.InvalidMigration,
                $"'{file}' is a Flyway callback; Swap's callback for that event is {swapName}, one file without a description. Rename it to {swapName} (merging it with any other for that event), or move it out of the migrations folder.");
        }
        if (FlywayLowerCase().IsMatch(name))
        {
            throw new SwapException(
                SwapErrorKind.InvalidMigration,
                $"'{file}' starts with a lower-case '{name[0]}': Flyway reads only an upper-case prefix and skips this file without running it, so Swap does not guess. " +
                $"Rename it to {char.ToUpperInvariant(name[0])}{name[1..]} if it is to run, or move it out of the migrations folder.");
        }
        if (FlywayLike().IsMatch(name))
        {
            throw new SwapException(
                SwapErrorKind.InvalidMigration,
                $"'{file}' is not named V<version>__<description>.sql: a Flyway-style name is V (or U for its undo), a version of digits separated by . or _, two underscores and a description " +
                "(for example V1__init.sql, V1.1__add_users.sql, U1.1__add_users.sql). Rename it, or run 'swap create' to make a correctly named script.");
        }
        return false;
    }

    /// <summary>Makes each undo script (<c>U1.1__x.sql</c>) the down file of the versioned script with the same version.</summary>
    private static void PairUndos(string folder, Dictionary<string, string> ups, Dictionary<string, string> downs, Dictionary<string, ScriptVersion> versions, List<(ScriptVersion Version, string Path)> undos)
    {
        var claimed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (version, path) in undos)
        {
            var stem = versions.FirstOrDefault(x => x.Value.Equals(version)).Key;
            if (stem is null)
            {
                throw new SwapException(
                    SwapErrorKind.InvalidMigration,
                    $"'{path}' is a Flyway undo script for version {version}, but '{folder}' has no versioned script V{version.Text}__<description>.sql. Add it, or delete the undo file.");
            }
            if (claimed.TryGetValue(stem, out var other))
                throw new SwapException(SwapErrorKind.InvalidMigration, $"'{other}' and '{path}' both undo {stem} (version {version}). Keep one.");
            if (downs.TryGetValue(stem, out var down))
                throw new SwapException(SwapErrorKind.InvalidMigration, $"'{down}' and '{path}' both undo {stem}. Keep one.");
            claimed[stem] = path;
        }
        foreach (var (stem, path) in claimed)
            downs[stem] = path;
    }
}
