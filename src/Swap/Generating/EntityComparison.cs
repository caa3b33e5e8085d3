namespace Swap.Generating;

/// <summary>What a database lacks to match the entities: tables to create, tables to change, and the changes in words.</summary>
internal sealed record EntityComparison(IReadOnlyList<EntityTable> Created, IReadOnlyList<TableDiff> Altered, IReadOnlyList<string> Changes)
{
    /// <summary>Compares each entity with its table in <paramref name="database"/> (read only).</summary>
    public static async Task<EntityComparison> CompareAsync(SwapDatabase database, IReadOnlyList<EntityTable> entities, CancellationToken cancellationToken)
    {
        var created = new List<EntityTable>();
        var altered = new List<TableDiff>();
        var changes = new List<string>();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        foreach (var entity in entities)
        {
            var live = await database.TableEngine.LoadTableAsync(connection, null, entity.Name, cancellationToken);
            if (live is null)
            {
                created.Add(entity);
                changes.Add($"create table {entity.Name} ({string.Join(", ", entity.Columns.Select(c => c.Name))})");
                continue;
            }
            var diff = SchemaDiff.Compare(entity, live, database.Dialect);
            if (diff.IsEmpty)
                continue;
            altered.Add(diff);
            changes.AddRange(diff.Renamed.Select(r => $"rename column {entity.Name}.{r.Old.Name} to {r.New.Name}"));
            changes.AddRange(diff.Dropped.Select(c => $"drop column {entity.Name}.{c.Name}"));
            changes.AddRange(diff.Added.Select(c => $"add column {entity.Name}.{c.Name} {c.Type}"));
            changes.AddRange(diff.Retyped.Select(r => $"change type of {entity.Name}.{r.New.Name} from {r.Old.NativeType} to {r.New.Type}"));
            changes.AddRange(diff.Renulled.Select(r => $"make {entity.Name}.{r.New.Name} {(r.New.Nullable ? "nullable" : "not null")}"));
            changes.AddRange(diff.AddedIndexes.Select(i => $"add {(i.Unique ? "unique " : "")}index {i.Name} on {entity.Name} ({string.Join(", ", i.Columns)})"));
            changes.AddRange(diff.AddedForeignKeys.Select(f => $"add foreign key {f.Name} on {entity.Name} ({string.Join(", ", f.Columns)}) -> {f.ReferencedTable} ({string.Join(", ", f.ReferencedColumns)})"));
        }
        return new EntityComparison(created, altered, changes);
    }
}
