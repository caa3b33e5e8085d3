namespace Swap.Discovery;

/// <summary>What a migration script is written in.</summary>
public enum ScriptKind
{
    Sql,
    CSharp,
}
