using Swap.Discovery;
namespace Swap;
/// <summary>What a migration script is written in.</summary>
public enum ScriptKind
{
    /// <summary>A <c>.sql</c> file, with an optional down section.</summary>
    Sql,
    /// <summary>A <see cref="Migration"/> class, compiled from a <c>.cs</c> file or loaded from an assembly.</summary>
    CSharp,
}
