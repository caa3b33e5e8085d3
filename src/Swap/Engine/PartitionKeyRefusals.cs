namespace Swap.Engine;

/// <summary>
/// What a partitioned table requires of its keys on every engine that has partitions: the primary
/// key and each unique index contain every column of the partition key, since uniqueness is
/// checked per partition.
/// </summary>
internal static class PartitionKeyRefusals
{
    /// <summary>
    /// The refusals for <paramref name="target"/> partitioned by <paramref name="keyColumns"/>;
    /// <paramref name="perPartition"/> says, for the primary key's message, how the engine checks uniqueness.
    /// </summary>
    public static IEnumerable<string> For(DbTable target, IReadOnlyList<string> keyColumns, string perPartition)
    {
        var missing = keyColumns.Where(c => !target.PrimaryKey.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
        if (target.PrimaryKey.Count > 0 && missing.Count > 0)
        {
            yield return $"The primary key ({string.Join(", ", target.PrimaryKey)}) does not include the partition key column(s) {string.Join(", ", missing)}: {perPartition} " +
                $"Make the key ({string.Join(", ", target.PrimaryKey.Concat(missing))}) with SetPrimaryKey(...) in the same script, or partition by columns of the key.";
        }
        foreach (var index in target.Indexes.Where(i => i.Unique && keyColumns.Any(c => !i.Columns.Any(ic => string.Equals(ic.Column, c, StringComparison.OrdinalIgnoreCase)))))
            yield return $"The unique index '{index.Name}' does not include the partition key ({string.Join(", ", keyColumns)}), which a partitioned table requires. Drop it, or add the partition key's columns to it.";
    }
}
