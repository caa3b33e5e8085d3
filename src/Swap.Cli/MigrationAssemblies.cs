using System.Reflection;
using System.Runtime.Loader;

namespace Swap.Cli;

/// <summary>
/// Loads a compiled migrations assembly. Swap's own assemblies are shared with it (its scripts
/// derive from this process's <see cref="Migration"/>); its other dependencies resolve from its
/// deps.json and folder, as the .NET host would.
/// </summary>
internal static class MigrationAssemblies
{
    public static Assembly Load(string path)
    {
        var full = Path.GetFullPath(path);
        var resolver = new AssemblyDependencyResolver(full);
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            resolver.ResolveAssemblyToPath(name) is { } dependency ? context.LoadFromAssemblyPath(dependency) : null;
        try
        {
            return AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException)
        {
            throw new SwapException(SwapErrorKind.InvalidMigration, $"'{full}' is not a .NET assembly Swap can load ({e.Message}). Pass the migrations project's output .dll.", e);
        }
    }
}
