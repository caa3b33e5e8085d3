using Swap.Discovery;
using Swap.Generating;
using Swap.History;

namespace Swap;

/// <summary>The answer to <c>generate</c>: the file written (null when nothing changed) and the changes, in words.</summary>
public sealed record GenerateResult(string? Path, IReadOnlyList<string> Changes)
{
    /// <summary>True when the database already matched the entities and nothing was written.</summary>
    public bool NoChanges => Path is null;

    /// <summary>With <see cref="GenerateOptions.Sql"/>: the <c>.down.sql</c> file written next to <see cref="Path"/> (the <c>.up.sql</c>).</summary>
    public string? DownPath { get; init; }
}

/// <summary>How <see cref="Migrator.GenerateAsync(string, IEnumerable{Type}, string, GenerateOptions, CancellationToken)"/> compares and what it writes.</summary>
public sealed class GenerateOptions
{
    /// <summary>
    /// Compare the entities with what the migrations already written create, instead of the live
    /// database: every migration is replayed into an empty scratch database (a temporary SQLite
    /// file, or a database or schema made on <see cref="Shadow"/> and dropped afterwards), which is
    /// then compared. Pending scripts are no obstacle, and the target is never written.
    /// </summary>
    public bool AgainstMigrations { get; init; }

    /// <summary>
    /// The server for <see cref="AgainstMigrations"/> on MySQL/MariaDB (Swap creates and drops a
    /// database there) and PostgreSQL (a schema in the URL's database); not needed for SQLite. Its
    /// user needs the right to create them. A development server, never production.
    /// </summary>
    public DatabaseUrl? Shadow { get; init; }

    /// <summary>Write an <c>.up.sql</c> / <c>.down.sql</c> pair in the target engine's SQL (changes to existing tables marked <c>-- swap:online</c>) instead of a C# migration.</summary>
    public bool Sql { get; init; }
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
    public Task<GenerateResult> GenerateAsync(string title, IEnumerable<Type> entityTypes, string migrationsFolder, CancellationToken cancellationToken = default) =>
        GenerateAsync(title, entityTypes, migrationsFolder, new GenerateOptions(), cancellationToken);

    /// <summary>
    /// Like <see cref="GenerateAsync(string, IEnumerable{Type}, string, CancellationToken)"/>, comparing
    /// with the live database or with the migrations already written, and writing C# or an
    /// <c>.up.sql</c> / <c>.down.sql</c> pair, as <paramref name="generate"/> says.
    /// </summary>
    public async Task<GenerateResult> GenerateAsync(string title, IEnumerable<Type> entityTypes, string migrationsFolder, GenerateOptions generate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entityTypes);
        ArgumentNullException.ThrowIfNull(generate);
        var entities = EntityReader.Read(entityTypes);
        if (entities.Count == 0)
            throw new SwapException(SwapErrorKind.Usage, "No entity classes found: generate reads public classes marked [Table(\"name\")] (System.ComponentModel.DataAnnotations.Schema).");
        var dialect = database.Dialect;
        foreach (var column in entities.SelectMany(e => e.Columns))
            dialect.TypeSql(column.Type); // a type this engine lacks is refused now, not in the written script

        EntityComparison comparison;
        if (generate.AgainstMigrations)
        {
            await using var scratch = await ScratchDatabase.CreateAsync(database.Engine, generate.Shadow, options.TimeProvider, options.LoggerFactory ?? database.LoggerFactory, cancellationToken);
            await ReplayWrittenMigrationsAsync(scratch.Database, cancellationToken);
            comparison = await EntityComparison.CompareAsync(scratch.Database, entities, cancellationToken);
        }
        else
        {
            await RefuseWhilePendingAsync(cancellationToken);
            comparison = await EntityComparison.CompareAsync(database, entities, cancellationToken);
        }
        if (comparison.Changes.Count == 0)
            return new GenerateResult(null, []);
        var against = generate.AgainstMigrations ? "against the migrations already written" : "against the live database";
        var now = options.TimeProvider.GetUtcNow();
        if (generate.Sql)
        {
            var (up, down) = SqlMigrationWriter.Write(title, against, dialect, comparison.Created, comparison.Altered);
            var (upPath, downPath) = ScriptTemplates.CreateSqlPair(migrationsFolder, title, now, up, down);
            return new GenerateResult(upPath, comparison.Changes) { DownPath = downPath };
        }
        var path = ScriptTemplates.Create(migrationsFolder, title, ScriptKind.CSharp, null, now, className => MigrationWriter.Write(title, against, className, comparison.Created, comparison.Altered));
        return new GenerateResult(path, comparison.Changes);
    }

    private async Task RefuseWhilePendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var recorded = (await history.ReadAsync(connection, cancellationToken)).Where(h => h.Status == HistoryStatus.Applied).Select(h => h.ScriptId).ToHashSet(StringComparer.Ordinal);
        var pending = Catalog.Scripts.Where(s => !recorded.Contains(s.Id)).Select(s => s.Id).ToList();
        if (pending.Count > 0)
        {
            throw new SwapException(
                SwapErrorKind.Refused,
                $"{pending.Count} script(s) are pending ({string.Join(", ", pending.Take(5))}{(pending.Count > 5 ? ", ..." : "")}); generate compares the entities with the live database, which must show what the migrations already do. Run 'swap up' first, or compare with the written migrations instead (--against migrations); nothing was written.");
        }
    }

    /// <summary>Runs every migration of this migrator's sources, with its callbacks and placeholders, on the empty scratch database.</summary>
    private async Task ReplayWrittenMigrationsAsync(SwapDatabase scratch, CancellationToken cancellationToken)
    {
        var replay = new MigratorOptions
        {
            Tables = options.Tables,
            TimeProvider = options.TimeProvider,
            LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            OnlineChangeMinRows = options.OnlineChangeMinRows,
        };
        foreach (var source in options.Sources)
            replay.Sources.Add(source);
        foreach (var (name, value) in options.Placeholders)
            replay.Placeholders[name] = value;
        try
        {
            await new Migrator(scratch, replay).UpAsync(new UpOptions(), cancellationToken);
        }
        catch (SwapException e)
        {
            throw new SwapException(e.Kind, $"Replaying the written migrations in a scratch database failed, so they cannot be compared with the entities; nothing was written. {e.Message}", e) { ScriptId = e.ScriptId };
        }
    }
}
