namespace Swap.Tests.Engine.Approval;

/// <summary>A column of a case's table in engine-neutral terms; each dialect spells its type the way its catalog reports it.</summary>
internal sealed record CaseColumn(string Name, CaseType Type, bool Nullable = false);

/// <summary>The few column types the cases use.</summary>
internal sealed record CaseType(string Kind, int Length = 0)
{
    public static CaseType Int { get; } = new("int");

    public static CaseType BigInt { get; } = new("bigint");

    public static CaseType Varchar(int length) => new("varchar", length);
}

/// <summary>A secondary index of a case's table.</summary>
internal sealed record CaseIndex(string Name, params string[] Columns);

/// <summary>A named table-level CHECK of a case's table: its expression, the same text on every engine.</summary>
internal sealed record CaseCheck(string Name, string Expression);

/// <summary>A table as it is before the change: the same for every dialect.</summary>
internal sealed record CaseTable(string Name, IReadOnlyList<CaseColumn> Columns, IReadOnlyList<string> PrimaryKey, IReadOnlyList<CaseIndex> Indexes, IReadOnlyList<CaseCheck>? Checks = null);
