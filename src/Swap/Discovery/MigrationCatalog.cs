using Swap.Dialects;

namespace Swap.Discovery;

/// <summary>
/// All migrations from all sources, checked (unique ids, known dependencies, no cycles, SQL that
/// splits cleanly) and in run order: group date, then dependencies, then name.
/// </summary>
internal sealed partial class MigrationCatalog
{
    // A C# class named as Flyway names a Java migration (V2__Add_roles, V1_1__Fill): its version orders it among the V scripts.
    [System.Text.RegularExpressions.GeneratedRegex(@"^V(?<version>\d+(?:_\d+)*)__\w+$")]
    private static partial System.Text.RegularExpressions.Regex FlywayClass();

    private readonly Dictionary<string, MigrationScript> byId;

    private MigrationCatalog(IReadOnlyList<MigrationScript> ordered, Callbacks.CallbackSet callbacks)
    {
        Scripts = ordered;
        Callbacks = callbacks;
        byId = ordered.ToDictionary(s => s.Id, StringComparer.Ordinal);
        Warnings = ScriptOrdering.NameOrderWarnings(ordered);
    }

    /// <summary>What is legal but likely not meant, one line per module: scripts that only their file names order.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Every script, in the order <c>up</c> applies them.</summary>
    public IReadOnlyList<MigrationScript> Scripts { get; }

    /// <summary>Callbacks found with the scripts: SQL files with reserved names and <see cref="IMigrationCallback"/> classes.</summary>
    internal Callbacks.CallbackSet Callbacks { get; }

    public MigrationScript? Find(string id) => byId.GetValueOrDefault(id);

    /// <summary>
    /// The script an option such as <c>--to</c> names, or a usage error that says so; an id written
    /// in another letter case is named in the message (ids are compared with their case).
    /// </summary>
    public MigrationScript Require(string id, string option)
    {
        if (Find(id) is { } script)
            return script;
        var meant = Scripts.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase));
        throw new SwapException(SwapErrorKind.Usage,
            $"{option} '{id}' is not a known script id" +
            (meant is null ? "" : $" (did you mean '{meant.Id}'? ids are compared with their letter case)") +
            ". Run 'swap status' to list the ids.");
    }

    /// <summary>Loads and checks every source. <paramref name="syntax"/>, when given, is used to split SQL scripts so malformed ones fail now.</summary>
    public static MigrationCatalog Load(IEnumerable<MigrationSource> sources, SqlSyntax? syntax = null)
    {
        var scripts = new List<MigrationScript>();
        var csFiles = new List<FolderScanner.CsFile>();
        var sqlCallbacks = new List<string>();
        var callbackTypes = new List<Type>();
        foreach (var source in sources)
        {
            switch (source)
            {
                case FolderSource folder:
                    var (sql, cs) = FolderScanner.Scan(folder, sqlCallbacks);
                    scripts.AddRange(sql.Select(f => FromSql(f, syntax)));
                    csFiles.AddRange(cs);
                    break;
                case TypeSource types:
                    callbackTypes.AddRange(types.MigrationTypes.Where(t => t.IsClass && !t.IsAbstract && !t.ContainsGenericParameters && typeof(IMigrationCallback).IsAssignableFrom(t)));
                    scripts.AddRange(types.MigrationTypes
                        // An abstract or generic class (SeedMigration<T>) is a base for scripts, not one.
                        .Where(t => t.IsClass && !t.IsAbstract && !t.ContainsGenericParameters && typeof(Migration).IsAssignableFrom(t))
                        .Select(t => FromType(t, types.Module, null, $"{types.Origin}: {t.FullName}", t.Name, Checksums.OfType(t), inFolder: false)));
                    break;
            }
        }
        if (csFiles.Count > 0)
        {
            var texts = csFiles.Select(f => (f.Path, File.ReadAllText(f.Path))).ToList();
            var byPath = csFiles.ToDictionary(f => f.Path, StringComparer.Ordinal);
            foreach (var compiled in CSharpScriptCompiler.Compile(texts))
            {
                if (typeof(IMigrationCallback).IsAssignableFrom(compiled.Type))
                    callbackTypes.Add(compiled.Type);
                if (!typeof(Migration).IsAssignableFrom(compiled.Type))
                    continue;
                var file = byPath[compiled.Path];
                scripts.Add(FromType(compiled.Type, file.Module, file.Group, compiled.Path, Path.GetFileName(compiled.Path) + ":" + compiled.Type.Name, Checksums.Of(compiled.ClassText), inFolder: true));
            }
        }
        CheckUnique(scripts);
        CheckVersions(scripts);
        var callbacks = new Callbacks.CallbackSet(sqlCallbacks.Select(Swap.Callbacks.CallbackSet.Read).ToList(), callbackTypes);
        if (syntax is not null)
        {
            foreach (var callback in callbacks.Sql.Values)
                SqlSplitter.Split(callback.Text, syntax, callback.Path);
        }
        return new MigrationCatalog(ScriptOrdering.Order(scripts), callbacks);
    }

    private static MigrationScript FromSql(FolderScanner.SqlFile file, SqlSyntax? syntax)
    {
        var text = File.ReadAllText(file.UpPath);
        var downText = file.DownPath is null ? null : File.ReadAllText(file.DownPath);
        var script = SqlScript.Parse(file.UpPath, text, file.DownPath, downText);
        if (syntax is not null)
        {
            // Splitting finds malformed SQL now; a script with no statement (only ';') is as empty as a fresh stub.
            if (script.UpStatements(syntax).Count == 0)
                script.HasUpStatements = false;
            script.DownStatements(syntax);
        }
        var checksum = Checksums.Of(downText is null ? text : text + "\n-- swap:down (file)\n" + downText);
        return new MigrationScript(file.Stem, file.Module, file.Group, ScriptKind.Sql, checksum)
        {
            Source = file.UpPath,
            OrderName = file.Stem,
            InFolder = true,
            Version = file.Version,
            Dependencies = script.After,
            Tags = script.Tags,
            HasDown = script.HasDownStatements,
            Transactional = !script.NoTransaction,
            Sql = script,
        };
    }

    private static MigrationScript FromType(Type type, string module, string? group, string source, string orderName, string checksum, bool inFolder)
    {
        Migration instance;
        try
        {
            instance = (Migration)Activator.CreateInstance(type)!;
        }
        catch (System.Reflection.TargetInvocationException e)
        {
            throw new SwapException(SwapErrorKind.InvalidMigration, $"The constructor of {type.Name} ({source}) threw: {e.InnerException?.Message}", e.InnerException);
        }
        return new MigrationScript(type.Name, module, group, ScriptKind.CSharp, checksum)
        {
            Source = source,
            OrderName = orderName,
            InFolder = inFolder,
            // Inside a group folder the group's date orders every script, as for SQL names there.
            Version = group is null && FlywayClass().Match(type.Name) is { Success: true } v ? ScriptVersion.Parse(v.Groups["version"].Value) : null,
            Dependencies = instance.Dependencies.ToList(),
            Tags = TagsOf(type, source),
            HasDown = instance.HasDown,
            Transactional = instance.Transactional,
            Factory = () => (Migration)Activator.CreateInstance(type)!,
        };
    }

    private static IReadOnlyList<string> TagsOf(Type type, string source)
    {
        if (type.GetCustomAttributes(typeof(TagsAttribute), inherit: true).FirstOrDefault() is not TagsAttribute attribute)
            return [];
        Exception Bad(string what) => new SwapException(SwapErrorKind.InvalidMigration, $"{type.Name} ({source}) {what}.");
        if (attribute.Tags.Count == 0)
            throw Bad("has [Tags] without a tag; write [Tags(\"seed\", \"demo\")]");
        foreach (var tag in attribute.Tags)
            ScriptTags.Check(tag ?? "", Bad);
        return attribute.Tags.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Two scripts of one module with the same version (a C# class and a SQL file, or two classes): Flyway refuses this too.</summary>
    private static void CheckVersions(List<MigrationScript> scripts)
    {
        var same = scripts.Where(s => s.Version is not null).GroupBy(s => (s.Module, s.Version!)).FirstOrDefault(g => g.Count() > 1);
        if (same is null)
            return;
        throw new SwapException(
            SwapErrorKind.InvalidMigration,
            $"{string.Join(" and ", same.Select(s => $"{s.Id} ({s.Source})"))} both have version {same.Key.Item2} in module {same.Key.Module} (versions compare by number: V1_1 and V1.1 are the same); Flyway refuses this too. Give one of them another version.");
    }

    /// <summary>
    /// Ids are unique without regard to case: MySQL/MariaDB's history compares them that way (its
    /// default collation), and the same folder must mean the same thing on every engine.
    /// </summary>
    private static void CheckUnique(List<MigrationScript> scripts)
    {
        var duplicates = scripts.GroupBy(s => s.Id, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).ToList();
        if (duplicates.Count == 0)
            return;
        var lines = duplicates.Select(g => g.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count() == 1
            ? $"'{g.Key}' is defined by {string.Join(" and ", g.Select(s => s.Source))}"
            : $"{string.Join(" and ", g.Select(s => $"'{s.Id}' ({s.Source})"))} differ only in case");
        throw new SwapException(
            SwapErrorKind.InvalidMigration,
            "Two migrations have the same id: " + string.Join("; ", lines) + ". Ids must be unique across all modules, letter case aside; rename one (a C# script's id is its class name, a SQL script's id is its file name without extension).");
    }
}
