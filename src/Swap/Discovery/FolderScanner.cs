using System.Text.RegularExpressions;

namespace Swap.Discovery;

/// <summary>
/// Reads a module's migrations folder: timestamped SQL scripts and C# files at the top, and group
/// folders (<c>YYYY-MM-DD-name</c>) whose scripts form one bigger transformation.
/// </summary>
internal static partial class FolderScanner
{
    [GeneratedRegex(@"^(?<stem>\d+_[^.]+)(?<down>\.(up|down))?\.sql$", RegexOptions.IgnoreCase)]
    private static partial Regex TimestampedSql();

    [GeneratedRegex(@"^(?<stem>[^.]+)(?<down>\.(up|down))?\.sql$", RegexOptions.IgnoreCase)]
    private static partial Regex AnySql();

    internal sealed record SqlFile(string Module, string? Group, string Stem, string UpPath, string? DownPath);

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
            var m = (requireTimestamp ? TimestampedSql() : AnySql()).Match(name);
            if (!m.Success)
            {
                throw new SwapException(
                    SwapErrorKind.InvalidMigration,
                    $"'{file}' is not named <timestamp>_<name>.sql (for example 20261121083000_create_users.sql, or a .up.sql/.down.sql pair). Rename it, or run 'swap create' to make a correctly named script.");
            }
            var stem = m.Groups["stem"].Value;
            var isDown = m.Groups["down"].Value.Equals(".down", StringComparison.OrdinalIgnoreCase);
            var target = isDown ? downs : ups;
            if (!target.TryAdd(stem, file))
                throw new SwapException(SwapErrorKind.InvalidMigration, $"'{file}' and '{target[stem]}' both define the script {stem}. Keep one.");
        }
        foreach (var (stem, down) in downs)
        {
            if (!ups.ContainsKey(stem))
                throw new SwapException(SwapErrorKind.InvalidMigration, $"'{down}' has no matching up script {stem}.up.sql. Add it, or delete the down file.");
        }
        foreach (var (stem, up) in ups)
            sql.Add(new SqlFile(module, group, stem, up, downs.GetValueOrDefault(stem)));
    }
}
