namespace Swap.Scenarios.Online.Data;

internal enum BenchType
{
    Key,
    Int,
    BigInt,
    String,
    Text,
    Timestamp,
}

internal sealed record BenchColumn(string Name, BenchType Type, int Length = 0, bool Nullable = false);

internal sealed record BenchIndex(string Name, IReadOnlyList<string> Columns, bool Unique = false);

/// <summary>
/// The schema change every contender makes: add a NOT NULL column with a constant default (after
/// <see cref="After"/> where the engine can place it), widen an INT column to BIGINT, and add an
/// index on the new column. The result of every later write is the same whichever tool made the
/// change and whenever it finished, so the final tables can be compared exactly.
/// </summary>
internal sealed record BenchChange(BenchColumn Added, string Default, string After, string Widened, BenchIndex Index)
{
    /// <summary>
    /// <c>bench --change add-column</c>: only the new column, nullable without a default and at the
    /// end of the table, the change every engine can make instantly (issue 14's measurement:
    /// instant against a forced copy and the native ALTER). No widening, no index.
    /// </summary>
    public bool AddOnly { get; init; }

    /// <summary>The new column's default, or null when it has none (<see cref="AddOnly"/>).</summary>
    public string? DefaultValue => AddOnly ? null : Default;

    public BenchChange AsAddOnly(string lastColumn) => this with { AddOnly = true, Added = Added with { Nullable = true }, After = lastColumn };
}

/// <summary>What one write of the concurrent writer does, generated from its index alone.</summary>
internal enum WriteKind
{
    Update,
    Insert,
    Delete,
}

/// <param name="Values">Insert: a value per <see cref="TableModel.Columns"/>; update: one per <see cref="TableModel.UpdateSet"/> parameter.</param>
internal readonly record struct WriteOp(long Index, WriteKind Kind, long Id, object?[]? Values);

/// <summary>A benchmark table: its columns and indexes, its rows (a pure function of the id), its change and its writes.</summary>
internal abstract class TableModel
{
    public static readonly DateTime Epoch = new(2015, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public abstract string Name { get; }

    public abstract IReadOnlyList<BenchColumn> Columns { get; }

    /// <summary>Secondary indexes (the key is <c>id</c>).</summary>
    public abstract IReadOnlyList<BenchIndex> Indexes { get; }

    /// <summary>The change the contenders make: the full one, or with <see cref="AddOnly"/> only the new column.</summary>
    public BenchChange Change => AddOnly ? FullChange.AsAddOnly(Columns[^1].Name) : FullChange;

    /// <summary><c>--change add-column</c>: see <see cref="BenchChange.AddOnly"/>.</summary>
    public bool AddOnly { get; init; }

    /// <summary>Add a NOT NULL column with a default, widen an INT, add an index.</summary>
    protected abstract BenchChange FullChange { get; }

    /// <summary>The SET list of the writer's updates, with parameters <c>@u0</c>, <c>@u1</c>...</summary>
    public abstract string UpdateSet { get; }

    /// <summary>Fills <paramref name="values"/> (one per column) with row <paramref name="id"/>.</summary>
    public abstract void Row(long id, object?[] values);

    /// <summary>The values of the writer's update number <paramref name="index"/>.</summary>
    public abstract object?[] UpdateValues(long index);

    /// <summary>The columns after the change, in a fixed order: the content hash reads them by name.</summary>
    public IReadOnlyList<string> FinalColumns => [.. Columns.Select(c => c.Name), Change.Added.Name];

    public static TableModel ByName(string name, bool addOnly = false) => name switch
    {
        "users" => new UsersTable { AddOnly = addOnly },
        "attachments" => new AttachmentsTable { AddOnly = addOnly },
        _ => throw new ArgumentException($"Unknown scenario '{name}': use users or attachments."),
    };

    protected static DateTime At(ulong hash, long spanSeconds) => Epoch.AddSeconds((long)(hash % (ulong)spanSeconds));
}
