using Swap.Discovery;
namespace Swap;
/// <summary>What a migration script is written in.</summary>
public enum ScriptKind
{
    Sql,
    CSharp,
}
