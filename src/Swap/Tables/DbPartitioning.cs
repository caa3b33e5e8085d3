namespace Swap;

/// <summary>How a partitioned table splits its rows.</summary>
public enum PartitionMethod
{
    /// <summary>Ranges of the key: <c>FOR VALUES FROM (...) TO (...)</c>.</summary>
    Range,

    /// <summary>Lists of key values: <c>FOR VALUES IN (...)</c>.</summary>
    List,

    /// <summary>A hash of the key modulo the number of partitions.</summary>
    Hash,
}

/// <summary>
/// The partitioning a table is converted to by <see cref="DbTable.PartitionBy"/>, with its
/// partitions: <c>DbPartitioning.Range("created").Partition("items_2025", "FROM ('2025-01-01') TO ('2026-01-01')")</c>,
/// <c>DbPartitioning.List("region").Partition("items_eu", "IN ('eu')").Default("items_other")</c>,
/// <c>DbPartitioning.Hash(4, "id")</c>. Bounds are the engine's SQL: on PostgreSQL what follows
/// <c>FOR VALUES</c> (<c>FROM (0) TO (100)</c>, <c>IN (1, 2)</c>), on MySQL/MariaDB what follows
/// <c>VALUES</c> (<c>LESS THAN (100)</c>, <c>LESS THAN (MAXVALUE)</c>, <c>IN (1, 2)</c>).
/// </summary>
public sealed class DbPartitioning
{
    private readonly List<(string Name, string? Bounds)> partitions = [];

    private DbPartitioning(PartitionMethod method, string[] columns, int hashPartitions)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0 || columns.Any(string.IsNullOrWhiteSpace))
            throw new SwapException(SwapErrorKind.Refused, "A partition key needs one or more column names.");
        Method = method;
        Columns = columns;
        HashPartitions = hashPartitions;
    }

    /// <summary>Range, list or hash.</summary>
    public PartitionMethod Method { get; }

    /// <summary>The partition key's columns, named as in the changed table.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The number of hash partitions (hash only).</summary>
    public int HashPartitions { get; }

    /// <summary>The declared partitions: name and the bounds (after <c>FOR VALUES</c> on PostgreSQL, after <c>VALUES</c> on MySQL/MariaDB; null for the default partition).</summary>
    public IReadOnlyList<(string Name, string? Bounds)> Partitions => partitions;

    /// <summary>Partitions by ranges of <paramref name="columns"/>; declare them with <see cref="Partition"/>.</summary>
    public static DbPartitioning Range(params string[] columns) => new(PartitionMethod.Range, columns, 0);

    /// <summary>Partitions by lists of values of <paramref name="columns"/>; declare them with <see cref="Partition"/>.</summary>
    public static DbPartitioning List(params string[] columns) => new(PartitionMethod.List, columns, 0);

    /// <summary>
    /// <paramref name="partitions"/> hash partitions, named <c>table_p0</c>, <c>table_p1</c>, ...
    /// (on MySQL/MariaDB <c>PARTITION BY KEY</c>, the server's hash of the columns, of any type).
    /// </summary>
    public static DbPartitioning Hash(int partitions, params string[] columns)
    {
        if (partitions < 1)
            throw new SwapException(SwapErrorKind.Refused, $"A hash partitioning needs one or more partitions, not {partitions}.");
        return new(PartitionMethod.Hash, columns, partitions);
    }

    /// <summary>
    /// A range or list partition: <paramref name="bounds"/> is what follows FOR VALUES on PostgreSQL
    /// (<c>FROM (0) TO (100)</c>, <c>IN ('eu', 'uk')</c>) and VALUES on MySQL/MariaDB
    /// (<c>LESS THAN (100)</c>, <c>IN ('eu', 'uk')</c>).
    /// </summary>
    public DbPartitioning Partition(string name, string bounds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(bounds);
        if (Method == PartitionMethod.Hash)
            throw new SwapException(SwapErrorKind.Refused, "Hash partitions are made by DbPartitioning.Hash(count, ...); they take no bounds.");
        if (bounds.Contains(';', StringComparison.Ordinal) || bounds.Contains("--", StringComparison.Ordinal))
            throw new SwapException(SwapErrorKind.Refused, $"The bounds of partition '{name}' may not contain ';' or a comment.");
        partitions.Add((name, bounds));
        return this;
    }

    /// <summary>The partition for rows no other partition takes.</summary>
    public DbPartitioning Default(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (Method == PartitionMethod.Hash)
            throw new SwapException(SwapErrorKind.Refused, "A hash partitioning has no default partition.");
        partitions.Add((name, null));
        return this;
    }

    /// <summary>The partitions with their FOR VALUES clause (DEFAULT for the default one), hash partitions named after the table.</summary>
    internal IEnumerable<(string Name, string Clause)> Declared(string table) => Method == PartitionMethod.Hash
        ? Enumerable.Range(0, HashPartitions).Select(i => ($"{table}_p{i}", $"FOR VALUES WITH (MODULUS {HashPartitions}, REMAINDER {i})"))
        : partitions.Select(p => (p.Name, p.Bounds is null ? "DEFAULT" : "FOR VALUES " + p.Bounds));

    /// <summary>
    /// The declared bounds that are not written for <paramref name="engine"/> (a PostgreSQL range is
    /// <c>FROM ... TO ...</c>, a MySQL one <c>LESS THAN ...</c>; a list is <c>IN (...)</c> on both), each with what to write.
    /// </summary>
    internal IEnumerable<string> WrongBounds(DatabaseEngine engine)
    {
        var (range, example) = engine == DatabaseEngine.MySql ? ("LESS THAN", "LESS THAN (100) or LESS THAN (MAXVALUE)") : ("FROM", "FROM (0) TO (100)");
        var (start, what) = Method == PartitionMethod.Range ? (range, "a range partition's bounds are " + example) : ("IN", "a list partition's bounds are IN (value, ...)");
        foreach (var (name, bounds) in partitions)
        {
            if (bounds is not null && !bounds.TrimStart().StartsWith(start, StringComparison.OrdinalIgnoreCase))
                yield return $"The bounds of partition '{name}' ({bounds}) are not written for {engine.ProductName()}: {what}.";
        }
    }

    internal string Describe(string table) =>
        $"partition by {Method.ToString().ToLowerInvariant()} ({string.Join(", ", Columns)}): {string.Join(", ", Declared(table).Select(p => p.Name + " " + p.Clause))}";
}
