using System.Globalization;
using System.Text;

namespace Swap.Discovery;

/// <summary>Writes correctly named stubs for new scripts (<c>swap create</c>).</summary>
internal static class ScriptTemplates
{
    /// <summary>
    /// Creates a SQL or C# stub in <paramref name="migrationsFolder"/> (or in its group folder
    /// <paramref name="group"/>, created as <c>YYYY-MM-DD-group</c> unless one with that name exists)
    /// and returns its path.
    /// </summary>
    public static string Create(string migrationsFolder, string title, ScriptKind kind, string? group, DateTimeOffset now) =>
        Create(migrationsFolder, title, kind, group, now, null);

    /// <summary>Like <see cref="Create(string, string, ScriptKind, string?, DateTimeOffset)"/>, with the C# text made from the class name by <paramref name="csharp"/> (<c>swap generate</c>).</summary>
    internal static string Create(string migrationsFolder, string title, ScriptKind kind, string? group, DateTimeOffset now, Func<string, string>? csharp)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(migrationsFolder);
        var words = Words(title);
        if (words.Count == 0)
            throw new SwapException(SwapErrorKind.Usage, $"The title '{title}' has no letters or digits to name a script with. Use something like \"Add user roles\".");
        var folder = migrationsFolder;
        if (group is not null)
            folder = GroupFolderFor(migrationsFolder, group, now);

        var stamp = now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var snake = string.Join('_', words.Select(w => w.ToLowerInvariant()));
        var pascal = string.Concat(words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        var className = pascal.StartsWith("Migrate", StringComparison.Ordinal) ? pascal : "Migrate" + pascal;
        if (char.IsDigit(className[0]))
            className = "Migrate" + className;

        var (file, text) = kind == ScriptKind.Sql
            ? ($"{stamp}_{snake}.sql", SqlStub(title))
            : ($"{stamp}_{pascal}.cs", csharp is null ? CSharpStub(title, className) : csharp(className));
        RefuseLongName(title, file);
        if (kind == ScriptKind.CSharp)
            RefuseTakenClassName(migrationsFolder, className);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, file);
        if (File.Exists(path))
            throw new SwapException(SwapErrorKind.Usage, $"{path} already exists. Wait a second and try again, or pick another title.");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Most file systems take names of at most 255 bytes; the script's id, its file name less the extension, is stored in a VARCHAR(255).</summary>
    private const int MaxFileNameBytes = 255;

    private static void RefuseLongName(string title, string file)
    {
        var bytes = Encoding.UTF8.GetByteCount(file);
        if (bytes > MaxFileNameBytes)
        {
            throw new SwapException(
                SwapErrorKind.Usage,
                $"The title '{(title.Length > 40 ? title[..40] + "..." : title)}' is too long: the script's file name would be {bytes} bytes, and a file name can have at most {MaxFileNameBytes}. Use a shorter title; nothing was written.");
        }
    }

    /// <summary>
    /// A C# script's id is its class name, so a second stub with the same title would not compile
    /// (CS0101) and would break every verb until one file is removed: refuse it before writing.
    /// </summary>
    private static void RefuseTakenClassName(string migrationsFolder, string className)
    {
        if (!Directory.Exists(migrationsFolder))
            return;
        var declaration = new System.Text.RegularExpressions.Regex(
            @"\bclass\s+" + System.Text.RegularExpressions.Regex.Escape(className) + @"\b",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        foreach (var file in Directory.EnumerateFiles(migrationsFolder, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var match = declaration.Match(File.ReadAllText(file));
            if (match.Success)
            {
                throw new SwapException(
                    SwapErrorKind.Usage,
                    $"{file} already defines the {match.Value}, and {className}, the id a C# script with this title would have, must differ from it (ids are unique, letter case aside). Pick another title; nothing was written.");
            }
        }
    }

    /// <summary>Writes <c>&lt;timestamp&gt;_&lt;title&gt;.up.sql</c> and its <c>.down.sql</c> (<c>swap generate --sql</c>); returns both paths.</summary>
    internal static (string Up, string Down) CreateSqlPair(string migrationsFolder, string title, DateTimeOffset now, string up, string down)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(migrationsFolder);
        var words = Words(title);
        if (words.Count == 0)
            throw new SwapException(SwapErrorKind.Usage, $"The title '{title}' has no letters or digits to name a script with. Use something like \"Add user roles\".");
        var stem = now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "_" + string.Join('_', words.Select(w => w.ToLowerInvariant()));
        RefuseLongName(title, stem + ".down.sql");
        Directory.CreateDirectory(migrationsFolder);
        var upPath = Path.Combine(migrationsFolder, stem + ".up.sql");
        var downPath = Path.Combine(migrationsFolder, stem + ".down.sql");
        if (File.Exists(upPath) || File.Exists(downPath) || File.Exists(Path.Combine(migrationsFolder, stem + ".sql")))
            throw new SwapException(SwapErrorKind.Usage, $"{upPath} already exists. Wait a second and try again, or pick another title.");
        File.WriteAllText(upPath, up);
        File.WriteAllText(downPath, down);
        return (upPath, downPath);
    }

    private static string GroupFolderFor(string migrationsFolder, string group, DateTimeOffset now)
    {
        if (GroupFolder.IsGroup(group))
            return Path.Combine(migrationsFolder, group);
        if (Directory.Exists(migrationsFolder))
        {
            var existing = Directory.GetDirectories(migrationsFolder)
                .Select(Path.GetFileName)
                .Where(n => n is not null && GroupFolder.IsGroup(n) && n[11..].Equals(group, StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .LastOrDefault();
            if (existing is not null)
                return Path.Combine(migrationsFolder, existing);
        }
        var slug = string.Join('-', Words(group).Select(w => w.ToLowerInvariant()));
        if (slug.Length == 0)
            throw new SwapException(SwapErrorKind.Usage, $"The group name '{group}' has no letters or digits.");
        return Path.Combine(migrationsFolder, now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "-" + slug);
    }

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        // Letters of any script stay (a title in French or German keeps its accents); combining
        // accents typed separately are composed first so they do not split a word.
        foreach (var c in text.Normalize(NormalizationForm.FormC))
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0)
            words.Add(current.ToString());
        return words;
    }

    private static string SqlStub(string title) => $"""
        -- {title}
        -- Statements end with ';'. Add '-- swap:after <script id>' to run after another script,
        -- and '-- swap:no-transaction' for statements that cannot run in a transaction.

        -- swap:down
        -- Statements that undo the change. While this section holds only comments the script has
        -- no down, and 'swap down' refuses to revert it (exit 7). Delete the section if the change
        -- cannot be undone.

        """;

    private static string CSharpStub(string title, string className) => $$"""
        // {{title}}
        using Swap;

        public sealed class {{className}} : Migration
        {
            public {{className}}()
            {
                // ExecuteAfter("MigrateSomethingElse");
            }

            public override async Task UpAsync(MigrationContext db)
            {
                await db.ExecuteAsync("SELECT 1");
            }

            // Without DownAsync the script has no down, and 'swap down' refuses to revert it (exit 7).
            // To make it revertible, undo what UpAsync did:
            // public override async Task DownAsync(MigrationContext db)
            // {
            //     await db.ExecuteAsync("...");
            // }
        }

        """;
}
