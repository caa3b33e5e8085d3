using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.MySql;

/// <summary>
/// <see cref="DbTable.PartitionBy"/> on MySQL/MariaDB: the empty copy is given the partitioning
/// with <c>ALTER TABLE ... PARTITION BY</c> (which replaces any it had from <c>CREATE TABLE ... LIKE</c>),
/// <c>RANGE COLUMNS</c> / <c>LIST COLUMNS</c> (any column type, several columns) or <c>KEY</c> for a
/// hash. InnoDB checks unique keys per partition and has no foreign keys on partitioned tables.
/// </summary>
internal static class MySqlPartitioning
{
    public static string Clause(MySqlDialect d, DbTable target, DbPartitioning partitioning)
    {
        var columns = string.Join(", ", partitioning.Columns.Select(c => d.Quote(target.GetColumn(c).Name)));
        var (method, partitions) = partitioning.Method switch
        {
            PartitionMethod.Range => ($"RANGE COLUMNS ({columns})", Declared(d, partitioning)),
            PartitionMethod.List => ($"LIST COLUMNS ({columns})", Declared(d, partitioning)),
            _ => ($"KEY ({columns})", Enumerable.Range(0, partitioning.HashPartitions).Select(i => $"PARTITION {d.Quote($"{target.Name}_p{i}")}")),
        };
        return $"PARTITION BY {method} ({string.Join(", ", partitions)})";
    }

    private static IEnumerable<string> Declared(MySqlDialect d, DbPartitioning partitioning) =>
        partitioning.Partitions.Select(p => p.Bounds is null ? $"PARTITION {d.Quote(p.Name)} DEFAULT" : $"PARTITION {d.Quote(p.Name)} VALUES {p.Bounds}");

    public static IEnumerable<string> Refusals(TableSchema original, DbTable target)
    {
        if (target.Partitioning is not { } partitioning)
            yield break;
        foreach (var wrong in partitioning.WrongBounds(DatabaseEngine.MySql))
            yield return wrong;
        var columns = partitioning.Columns.Select(c => target.GetColumn(c).Name).ToList();
        foreach (var refusal in PartitionKeyRefusals.For(target, columns, "MariaDB and MySQL check a partitioned table's unique keys per partition, so each must contain every partition column."))
            yield return refusal;
        foreach (var index in target.Indexes.Where(i => i.Original?.Method is "FULLTEXT" or "SPATIAL"))
            yield return $"The {index.Original!.Method} index '{index.Name}' cannot be on a partitioned table (InnoDB has none there). Drop it for the conversion.";
        foreach (var fk in target.ForeignKeys)
            yield return $"Its foreign key '{fk.Name}' cannot stay: InnoDB has no foreign keys on partitioned tables. Drop it in the same script (DropForeignKey) to partition the table.";
        if (original.ReferencedBy.Count > 0)
            yield return $"Foreign keys of other tables point at it ({string.Join(", ", original.ReferencedBy.Select(f => f.Table + "." + f.Name))}); InnoDB does not let a foreign key reference a partitioned table. Drop them to partition the table.";
    }
}
