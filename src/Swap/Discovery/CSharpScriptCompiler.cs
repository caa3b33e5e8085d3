using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Swap.Discovery;

/// <summary>One C# script or callback class found in a compiled migrations file.</summary>
internal sealed record CompiledScript(Type Type, string Path, string ClassText);

/// <summary>
/// Compiles the <c>.cs</c> files of migrations folders at run time with Roslyn, so a script can be
/// dropped into a folder with no build step. All files compile together, so scripts may refer to
/// each other (<c>ExecuteAfter&lt;T&gt;()</c>). Errors are reported with file and line.
/// </summary>
internal static class CSharpScriptCompiler
{
    private static int generation;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<IReadOnlyList<CompiledScript>>> Loaded = new(StringComparer.Ordinal);

    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Swap;
        global using Microsoft.Extensions.Logging;
        """;

    /// <summary>Compiles the files, or loads their compilation from <see cref="CompiledScriptCache"/> when nothing changed since.</summary>
    public static IReadOnlyList<CompiledScript> Compile(IReadOnlyList<(string Path, string Text)> files) =>
        Compile(files, CompiledScriptCache.Folder);

    internal static IReadOnlyList<CompiledScript> Compile(IReadOnlyList<(string Path, string Text)> files, string? cacheFolder)
    {
        if (files.Count == 0)
            return [];
        if (cacheFolder is null)
            return CompileNow(files).Found;
        var key = CompiledScriptCache.Key(files);
        // A process loads one compilation once (an assembly name loads only once per context).
        return Loaded.GetOrAdd(cacheFolder + "|" + key, _ => new Lazy<IReadOnlyList<CompiledScript>>(() =>
        {
            if (CompiledScriptCache.TryLoad(cacheFolder, key) is { } cached)
                return cached;
            var (image, found) = CompileNow(files);
            CompiledScriptCache.Store(cacheFolder, key, image, found);
            return found;
        })).Value;
    }

    private static (byte[] Image, List<CompiledScript> Found) CompileNow(IReadOnlyList<(string Path, string Text)> files)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = files
            .Select(f => CSharpSyntaxTree.ParseText(f.Text, parse, f.Path, Encoding.UTF8))
            .Append(CSharpSyntaxTree.ParseText(GlobalUsings, parse, "swap-global-usings.cs", Encoding.UTF8))
            .ToList();
        var name = $"Swap.Scripts.{Interlocked.Increment(ref generation)}.{Guid.NewGuid():N}";
        var compilation = CSharpCompilation.Create(
            name,
            trees,
            References(),
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable,
                concurrentBuild: false));

        using var pe = new MemoryStream();
        var result = compilation.Emit(pe);
        if (!result.Success)
            throw DuplicateClassError(compilation, result.Diagnostics) ?? CompileError(result.Diagnostics);
        var image = pe.ToArray();
        pe.Position = 0;
        var assembly = AssemblyLoadContext.Default.LoadFromStream(pe);

        var found = new List<CompiledScript>();
        foreach (var tree in trees.Take(files.Count))
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>())
            {
                // An abstract or generic class (SeedMigration<T>) is a base for scripts, not one: it cannot be made.
                if (model.GetDeclaredSymbol(declaration) is not INamedTypeSymbol symbol || symbol.IsAbstract || IsOpenGeneric(symbol) || !(DerivesFromMigration(symbol) || IsCallback(symbol)))
                    continue;
                var type = assembly.GetType(MetadataName(symbol), throwOnError: true)!;
                if (type.GetConstructor(Type.EmptyTypes) is null)
                {
                    var line = declaration.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                    throw new SwapException(SwapErrorKind.InvalidMigration, $"{tree.FilePath}({line}): the migration {symbol.Name} needs a public constructor without parameters.");
                }
                found.Add(new CompiledScript(type, tree.FilePath, declaration.ToFullString()));
            }
        }
        return (image, found);
    }

    /// <summary>A class with type parameters of its own or of a class it is nested in.</summary>
    private static bool IsOpenGeneric(INamedTypeSymbol symbol)
    {
        for (var t = symbol; t is not null; t = t.ContainingType)
        {
            if (t.TypeParameters.Length > 0)
                return true;
        }
        return false;
    }

    private static bool DerivesFromMigration(INamedTypeSymbol symbol)
    {
        for (var t = symbol.BaseType; t is not null; t = t.BaseType)
        {
            if (t.Name == nameof(Migration) && t.ContainingNamespace?.ToDisplayString() == "Swap")
                return true;
        }
        return false;
    }

    private static bool IsCallback(INamedTypeSymbol symbol) =>
        symbol.AllInterfaces.Any(i => i.Name == nameof(IMigrationCallback) && i.ContainingNamespace?.ToDisplayString() == "Swap");

    private static string MetadataName(INamedTypeSymbol symbol)
    {
        var parts = new Stack<string>();
        for (var t = symbol; t is not null; t = t.ContainingType)
            parts.Push(t.MetadataName);
        var ns = symbol.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        return ns + string.Join('+', parts);
    }

    /// <summary>
    /// Two files that declare the same class (a copied script, a stub written twice) are duplicate
    /// ids, not a compiler puzzle: name the class and both files, as for any other duplicate id.
    /// Null when the compiler found no such clash (CS0101).
    /// </summary>
    private static SwapException? DuplicateClassError(CSharpCompilation compilation, IEnumerable<Diagnostic> diagnostics)
    {
        var clashes = diagnostics
            .Where(d => d.Id == "CS0101" && d.Location.SourceTree is not null)
            .Select(d => d.Location.SourceTree!.GetRoot().FindToken(d.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault())
            .OfType<BaseTypeDeclarationSyntax>()
            .Select(n => compilation.GetSemanticModel(n.SyntaxTree).GetDeclaredSymbol(n))
            .OfType<INamedTypeSymbol>()
            .Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default)
            .Select(symbol => (Name: symbol.ToDisplayString(), Places: symbol.Locations
                .Where(l => l.IsInSource)
                .Select(l => l.GetLineSpan())
                .OrderBy(l => l.Path, StringComparer.Ordinal)
                .ThenBy(l => l.StartLinePosition.Line)
                .Select(l => $"{l.Path}({l.StartLinePosition.Line + 1})")
                .ToList()))
            .Where(c => c.Places.Count > 1)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        if (clashes.Count == 0)
            return null;
        var lines = clashes.Select(c => $"'{c.Name}' is defined by {string.Join(" and ", c.Places)}");
        return new SwapException(
            SwapErrorKind.InvalidMigration,
            "Two C# files define the same class: " + string.Join("; ", lines) + ". A C# script's id is its class name and ids must be unique, so this is a duplicate id: " +
            "rename the class in one of the files (or remove the file that is a leftover copy), then run again.");
    }

    private static SwapException CompileError(IEnumerable<Diagnostic> diagnostics)
    {
        var errors = diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ToList();
        var lines = errors.Take(20).Select(d =>
        {
            var span = d.Location.GetLineSpan();
            var hint = Hint(d);
            return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}{hint}";
        });
        var more = errors.Count > 20 ? $"\n(and {errors.Count - 20} more)" : "";
        return new SwapException(
            SwapErrorKind.InvalidMigration,
            $"C# migrations do not compile ({errors.Count} error(s)); fix them and run again:\n" + string.Join('\n', lines) + more);
    }

    // FluentMigrator's API, which a team moving to Swap writes first: Swap has none of these names.
    private static readonly HashSet<string> FluentMigratorNames = new(StringComparer.Ordinal)
    {
        "Execute", "Create", "Delete", "Insert", "Rename", "Alter", "Update", "IfDatabase",
    };

    private const string FromFluentMigrator = "see 'Coming from FluentMigrator or DbUp' in docs/writing-migrations.md";

    /// <summary>What to write instead, for the errors a newcomer (often from FluentMigrator) makes first.</summary>
    private static string Hint(Diagnostic d)
    {
        var message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        switch (d.Id)
        {
            case "CS0534" when message.Contains("UpAsync", StringComparison.Ordinal):
                return " (a migration must override 'public override Task UpAsync(MigrationContext db)')";
            case "CS0653" or "CS0616" when message.Contains("'Migration'", StringComparison.Ordinal):
                return " (Swap has no [Migration(version)] attribute: a C# script's place in the order comes from its file name, "
                    + "such as 20261201120000_CreateShop.cs, and its id is its class name; " + FromFluentMigrator + ")";
            case "CS0115" when message.EndsWith(".Up()': no suitable method found to override", StringComparison.Ordinal)
                || message.EndsWith(".Down()': no suitable method found to override", StringComparison.Ordinal):
                return " (a Swap migration overrides 'public override async Task UpAsync(MigrationContext db)' and, to be revertible, "
                    + "'DownAsync(MigrationContext db)')";
            case "CS0103":
                var name = message.Split('\'') is [_, var n, ..] ? n : "";
                return FluentMigratorNames.Contains(name)
                    ? $" (FluentMigrator's '{name}' expressions have no Swap counterpart: a script makes its changes through 'db', "
                        + "such as db.ExecuteAsync(sql), db.CreateTableAsync(...) or db.UseTableForAlterAsync(...); " + FromFluentMigrator + ")"
                    : "";
            default:
                return "";
        }
    }

    private static List<MetadataReference>? references;

    private static List<MetadataReference> References()
    {
        if (references is not null)
            return references;
        // One file per assembly name: the runtime's own first, then the application's, then what this
        // process has loaded. Other shared frameworks the host brings (the swap command's ASP.NET Core,
        // for its web console: 150 assemblies) are left out unless loaded: a script has no use for them,
        // and each reference costs the compiler time at every cold start (330 references: 0.5 s more).
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
        {
            var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location) ?? "";
            var frameworks = Path.GetDirectoryName(Path.GetDirectoryName(runtime));
            foreach (var p in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var folder = Path.GetDirectoryName(p) ?? "";
                // <dotnet>/shared/<framework>/<version>: the runtime's framework is one of them.
                var otherFramework = frameworks is not null && Path.GetFileName(frameworks) == "shared"
                    && !string.Equals(folder, runtime, StringComparison.Ordinal)
                    && folder.StartsWith(frameworks + Path.DirectorySeparatorChar, StringComparison.Ordinal);
                if (!otherFramework)
                    paths.TryAdd(Path.GetFileNameWithoutExtension(p), p);
            }
        }
        foreach (var a in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!a.IsDynamic && a.Location.Length > 0)
                paths.TryAdd(Path.GetFileNameWithoutExtension(a.Location), a.Location);
        }
        paths.TryAdd("Swap", typeof(Migration).Assembly.Location);
        paths.TryAdd("Microsoft.Extensions.Logging.Abstractions", typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location);
        references = paths.Values.Where(File.Exists).Select(Reference).ToList();
        return references;
    }

    /// <summary>
    /// A reference to the assembly at <paramref name="path"/> holding only its metadata in memory, not
    /// its whole image (the runtime's assemblies are precompiled, their code several times their
    /// metadata): <see cref="MetadataReference.CreateFromFile(string, MetadataReferenceProperties, DocumentationProvider?)"/> reads whole files.
    /// </summary>
    private static MetadataReference Reference(string path)
    {
        using var stream = File.OpenRead(path);
        var module = ModuleMetadata.CreateFromStream(stream, System.Reflection.PortableExecutable.PEStreamOptions.PrefetchMetadata);
        return AssemblyMetadata.Create(module).GetReference(filePath: path);
    }
}
