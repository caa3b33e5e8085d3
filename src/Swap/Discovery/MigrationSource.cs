using Swap.Discovery;
using System.Reflection;

namespace Swap;
/// <summary>Where migrations come from: module folders, compiled assemblies, or explicit types.</summary>
public abstract class MigrationSource
{
    private protected MigrationSource()
    {
    }

    /// <summary>
    /// A module folder (holding a <c>migrations</c> folder) or a migrations folder itself. The module
    /// name is the module folder's name unless given.
    /// </summary>
    public static MigrationSource Folder(string path, string? module = null) => new FolderSource(path, module);

    /// <summary>Every non-abstract <see cref="Migration"/> subclass in the assembly.</summary>
    public static MigrationSource Assembly(Assembly assembly, string? module = null) =>
        new TypeSource(module ?? assembly.GetName().Name ?? "app", assembly.GetTypes(), assembly.GetName().Name ?? "assembly");

    /// <summary>The given <see cref="Migration"/> types.</summary>
    public static MigrationSource Types(string module, params Type[] types) => new TypeSource(module, types, "types");
}

internal sealed class FolderSource(string path, string? module) : MigrationSource
{
    public string Path { get; } = path;

    public string? Module { get; } = module;

    public override string ToString() => Path;
}

internal sealed class TypeSource(string module, IReadOnlyList<Type> types, string origin) : MigrationSource
{
    public string Module { get; } = module;

    public IReadOnlyList<Type> MigrationTypes { get; } = types;

    public string Origin { get; } = origin;

    public override string ToString() => Origin;
}
