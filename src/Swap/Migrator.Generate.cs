using Swap.Discovery;
using Swap.Generating;
using Swap.History;

namespace Swap;

/// <summary>The answer to <c>generate</c>: the file written (null when nothing changed) and the changes, in words.</summary>
public sealed record GenerateResult(string? Path, IReadOnlyList<string> Changes)
{
    /// <summary>True when the database already matched the entities and nothing was written.</summary>
    public bool NoChanges => Path is null;
}

public sealed partial class Migrator
{
    /// <summary>
    /// Writes a C# migration that brings the live database to the entity classes among
    /// <paramref name="entityTypes"/> (classes with <c>[Table]</c>): new tables with the schema builder,
    /// changes to existing tables through the engineer (online), and a matching DownAsync. Writes
    /// nothing and says so when the database already matches. Refused while scripts are pending:
    /// the database must show what the migrations already do.
    /// </summary>
    public async Task<GenerateResult> GenerateAsync(string title, IEnumerable<Type> entityTypes, string migrationsFolder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entityTypes);
        var entities = EntityReader.Read(entityTypes);
        if (entities.Count == 0)
            throw new SwapException(SwapErrorKind.Usage, "No entity classes found: generate reads public classes marked [Table(\"name\")] (System.ComponentModel.DataAnnotations.Schema).");
        var dialect = database.Dialect;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var recorded = (await history.ReadAsync(connection, cancellationToken)).Where(h => h.Status == HistoryStatus.Applied).Select(h => h.ScriptId).ToHashSet(StringComparer.Ordinal);
        var pending = Catalog.Scripts.Where(s => !recorded.Contains(s.Id)).Select(s => s.Id).ToList();
        if (pending.Count > 0)
        {
            throw new SwapException(
                SwapErrorKind.Refused,
                $"{pending.Count} script(s) are pending ({string.Join(", ", pending.Take(5))}{(pending.Count > 5 ? ", ..." : "")}); generate compares the entities with the live database, which must show what the migrations already do. Run 'swap up' first; nothing was written.");
        }

        var created = new List<EntityTable>();
        var altered = new List<TableDiff>();
        var changes = new List<string>();
        foreach (var entity in entities)
        {
            foreach (var column in entity.Columns)
                dialect.TypeSql(column.Type); // a type this engine lacks is refused now, not in the written script
            var live = await database.TableEngine.LoadTableAsync(connection, null, entity.Name, cancellationToken);
            if (live is null)
            {
                created.Add(entity);
                changes.Add($"create table {entity.Name} ({string.Join(", ", entity.Columns.Select(c => c.Name))})");
                continue;
            }
            var diff = SchemaDiff.Compare(entity, live, dialect);
            if (diff.IsEmpty)
                continue;
            altered.Add(diff);
            changes.AddRange(diff.Renamed.Select(r => $"rename column {entity.Name}.{r.Old.Name} to {r.New.Name}"));
            changes.AddRange(diff.Dropped.Select(c => $"drop column {entity.Name}.{c.Name}"));
            changes.AddRange(diff.Added.Select(c => $"add column {entity.Name}.{c.Name} {c.Type}"));
            changes.AddRange(diff.Retyped.Select(r => $"change type of {entity.Name}.{r.New.Name} from {r.Old.NativeType} to {r.New.Type}"));
            changes.AddRange(diff.Renulled.Select(r => $"make {entity.Name}.{r.New.Name} {(r.New.Nullable ? "nullable" : "not null")}"));
            changes.AddRange(diff.AddedIndexes.Select(i => $"add {(i.Unique ? "unique " : "")}index {i.Name} on {entity.Name} ({string.Join(", ", i.Columns)})"));
        }
        if (changes.Count == 0)
            return new GenerateResult(null, []);
        var path = ScriptTemplates.Create(migrationsFolder, title, ScriptKind.CSharp, null, options.TimeProvider.GetUtcNow(), className => MigrationWriter.Write(title, className, created, altered));
        return new GenerateResult(path, changes);
    }
}
