using System.Data.Common;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;
using Swap.PostgreSql.Internal;

namespace Swap.PostgreSql;

/// <summary>
/// Partitioned tables: a table partitioned already is copied into a table partitioned the same
/// way (same key, every partition with its bound, under a temporary name), and at the cut-over
/// its partitions and their indexes take the original partitions' names; a plain table becomes
/// partitioned with <see cref="DbTable.PartitionBy"/>.
/// </summary>
internal sealed partial class PostgresTableEngine
{
    /// <summary>What keeps a partitioned table (or one becoming partitioned) from a swap.</summary>
    private static IEnumerable<string> PartitionedRefusals(TableSchema original, DbTable? target)
    {
        var partitioned = IsPartitioned(original);
        if (partitioned)
        {
            foreach (var p in PartitionBounds(original).Where(p => p.Kind != "r"))
            {
                yield return p.Kind == "p"
                    ? $"Its partition '{p.Name}' is partitioned itself; Swap copies one level of partitions only. Change a sub-partitioned table with plain ALTER TABLE."
                    : $"Its partition '{p.Name}' is a foreign table, whose rows are elsewhere; Swap cannot copy it. Detach it for the swap, or use plain ALTER TABLE.";
            }
            if (PartitionOwn(original) is { Count: > 0 } own)
                yield return $"Its partitions have objects of their own, which the copy would not have: {string.Join(", ", own)}. A swap recreates what the partitioned table declares; create them on the partitioned table, or drop them for the swap.";
        }
        if (!partitioned && target?.Partitioning is null)
            yield break;
        foreach (var wrong in target?.Partitioning?.WrongBounds(DatabaseEngine.PostgreSql) ?? [])
            yield return wrong;
        // PostgreSQL 15 adds a partitioned table's foreign keys valid only, scanning every row: under the cut-over's lock.
        foreach (var fk in target is null ? original.ForeignKeys.Select(f => f.Name) : target.ForeignKeys.Select(f => f.Name))
            yield return $"Its foreign key '{fk}' cannot be carried to a partitioned table online: PostgreSQL cannot add a foreign key NOT VALID to a partitioned table, and a validated one would check every row while the cut-over holds the table. Drop it for the swap (DropForeignKey) and add it back after with plain ALTER TABLE.";
        if (target is null)
            yield break;

        List<string> keyColumns;
        if (target.Partitioning is { } partitioning)
        {
            keyColumns = partitioning.Columns.ToList();
        }
        else
        {
            keyColumns = [];
            var dropped = original.Columns.Where(c => !target.Columns.Any(t => string.Equals(t.OriginalName, c.Name, StringComparison.OrdinalIgnoreCase))).Select(c => c.Name);
            var key = original.Extra.GetValueOrDefault("partition_key") ?? "";
            foreach (var column in PartitionColumns(original).Where(c => c.Length > 0))
            {
                if (target.Columns.FirstOrDefault(t => string.Equals(t.OriginalName, column, StringComparison.OrdinalIgnoreCase)) is { } kept)
                    keyColumns.Add(kept.Name);
            }
            foreach (var column in dropped.Where(d => key.Contains(d, StringComparison.OrdinalIgnoreCase)))
                yield return $"Column '{column}' is in the partition key ({key}) and cannot be dropped: the partitions are kept as they are. Keep the column, or re-partition the table with plain SQL.";
        }
        foreach (var refusal in PartitionKeyRefusals.For(target, keyColumns, "PostgreSQL checks a partitioned table's unique keys per partition, so each must contain the whole partition key."))
            yield return refusal;
    }

    public override IEnumerable<string> RevertRefusals(SwapSpec forward)
    {
        if (IsPartitioned(forward.Original) || IsPartitioned(forward.Copy))
            yield return "the table is partitioned (or becomes partitioned), and a revert does not swap partitions back yet; swap it without a revert window";
    }

    /// <summary>True when the swap copies a partitioned table into one partitioned the same way (not a conversion, not a revert).</summary>
    private static bool SwapsPartitions(SwapSpec spec) => !spec.Revert && IsPartitioned(spec.Original) && IsPartitioned(spec.Copy);

    /// <summary>
    /// After the tables' renames: each original partition goes away under its old-table name and
    /// the copy's partition of the same bound takes its name.
    /// </summary>
    private List<string> PartitionRenames(SwapSpec spec)
    {
        if (!SwapsPartitions(spec))
            return [];
        var partitions = PartitionBounds(spec.Original);
        return
        [
            .. partitions.Select(p => $"ALTER TABLE {Q(p.Name)} RENAME TO {D.Quote(OldIndexName(p.Name))}"),
            .. partitions.Select(p => $"ALTER TABLE {Q(TempIndexName(p.Name))} RENAME TO {D.Quote(p.Name)}"),
        ];
    }

    /// <summary>The copy has the partitions the original had when it was made: one attached or detached since has no twin.</summary>
    private static void CheckPartitionsUnchanged(SwapSpec spec, TableSchema now)
    {
        if (!SwapsPartitions(spec))
            return;
        var then = PartitionBounds(spec.Original).Select(p => p.Name + " " + p.Bound).Order(StringComparer.Ordinal).ToList();
        var current = PartitionBounds(now).Select(p => p.Name + " " + p.Bound).Order(StringComparer.Ordinal).ToList();
        if (!then.SequenceEqual(current, StringComparer.Ordinal))
        {
            throw new SwapException(
                SwapErrorKind.Failure,
                $"The partitions of '{spec.Original.Name}' changed during the swap (now: {string.Join("; ", current)}; when the copy was made: {string.Join("; ", then)}). " +
                "The copy has the partitions of then, so the swap cannot cut over; remove it (swap cleanup) and run the migration again.");
        }
    }

    /// <summary>
    /// The indexes of the new partitions were named by PostgreSQL after the partitions' temporary
    /// names (<c>_items_p0_swap_new_pkey</c>): each takes the name of the old partition's index
    /// attached to the same index of the table (renamed away first), or, for an index the swap
    /// adds, the name with the partition's own name in front, where that name is free.
    /// </summary>
    private async Task MovePartitionIndexNamesAsync(DbConnection connection, DbTransaction tx, SwapSpec spec, CancellationToken cancellationToken)
    {
        if (!SwapsPartitions(spec))
            return;
        var rows = await connection.QueryAsync(
            """
            SELECT t.relname AS tbl, pc.relname AS part, pi.relname AS name, COALESCE(parent.relname, '') AS parent
            FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
            JOIN pg_inherits pt ON pt.inhparent = t.oid JOIN pg_class pc ON pc.oid = pt.inhrelid
            JOIN pg_index ix ON ix.indrelid = pc.oid JOIN pg_class pi ON pi.oid = ix.indexrelid
            LEFT JOIN pg_inherits ii ON ii.inhrelid = ix.indexrelid LEFT JOIN pg_class parent ON parent.oid = ii.inhparent
            WHERE n.nspname = @schema AND t.relname IN (@table, @old)
            """,
            new { schema = database.Schema, table = spec.Original.Name, old = spec.Names.Old },
            tx,
            cancellationToken);
        var olds = rows.Where(r => r.String("tbl") == spec.Names.Old).ToList();
        var moves = new List<(string From, string To)>();
        var renames = new List<(string From, string? To)>();
        foreach (var r in rows.Where(r => r.String("tbl") == spec.Original.Name))
        {
            var (part, name, parent) = (r.String("part")!, r.String("name")!, r.String("parent")!);
            var twin = olds.FirstOrDefault(o => o.String("part") == OldIndexName(part) && o.String("parent") == OldIndexName(parent));
            if (twin is not null)
            {
                moves.Add((twin.String("name")!, OldIndexName(twin.String("name")!)));
                renames.Add((name, twin.String("name")!));
            }
            else
            {
                var temp = TempIndexName(part);
                renames.Add((name, name.StartsWith(temp, StringComparison.Ordinal) ? Truncate(part + name[temp.Length..]) : null));
            }
        }
        var wanted = moves.Select(m => m.To).Concat(renames.Where(r => r.To is not null).Select(r => r.To!)).ToArray();
        var taken = (await connection.QueryAsync(
            "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @schema AND c.relname = ANY (@names)",
            new { schema = database.Schema, names = wanted },
            tx,
            cancellationToken)).Select(r => r.String("name")!).ToHashSet(StringComparer.Ordinal);
        foreach (var (from, to) in moves.Concat(renames.Where(r => r.To is not null).Select(r => (r.From, To: r.To!))))
        {
            if (taken.Contains(to) || from == to)
                continue;
            // Renaming an index renames the constraint it backs (a partition's primary key, unique constraint).
            await connection.ExecuteAsync($"ALTER INDEX {Q(from)} RENAME TO {D.Quote(to)}", null, tx, cancellationToken);
            taken.Remove(from);
            taken.Add(to);
        }
    }

    /// <summary>The partitions of the swapped table under their final names, with the autovacuum setting each had.</summary>
    private static List<(string Name, string? Autovacuum)> FinalPartitions(SwapSpec spec) =>
        SwapsPartitions(spec)
            ? PartitionBounds(spec.Original).Select(p => (p.Name, OwnAutovacuum(p.Options))).ToList()
            : Partitions(spec.Copy).Select(p => (p, OwnAutovacuum(spec.Original))).ToList();
}
