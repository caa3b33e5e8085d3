using Swap.Dialects;
using Swap.Engine;
using Swap.Running;

namespace Swap;

public sealed partial class MigrationContext
{
    /// <summary>Tables this script created with <see cref="CreateTableAsync"/>: new and empty, so changes to them need no online copy.</summary>
    private readonly HashSet<string> createdTables = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Creates a table from a portable definition: columns (<see cref="DbColumn"/>), primary key,
    /// identity, indexes, foreign keys and checks. Each engine gets its own DDL for the same
    /// table; <c>swap plan</c> shows it. Each statement is a step of the script.
    /// </summary>
    public async Task CreateTableAsync(string name, Action<TableBuilder> define)
    {
        ArgumentNullException.ThrowIfNull(define);
        var dialect = session.Database.Dialect;
        ValidateTableName(name);
        var table = new TableBuilder(name, dialect);
        define(table);
        table.Complete();
        foreach (var sql in dialect.CreateTableSql(table))
            await ExecuteStatementAsync(sql, null, sql);
        createdTables.Add(name);
    }

    /// <summary>Drops a table.</summary>
    public Task DropTableAsync(string name)
    {
        ValidateTableName(name);
        var sql = session.Database.Dialect.DropTableSql(name);
        return ExecuteStatementAsync(sql, null, sql);
    }

    /// <summary>Renames a table (<c>RENAME TABLE</c> on MySQL, <c>ALTER TABLE ... RENAME TO</c> elsewhere).</summary>
    public async Task RenameTableAsync(string name, string newName)
    {
        ValidateTableName(name);
        ValidateTableName(newName);
        var sql = session.Database.Dialect.RenameTableSql(name, newName);
        await ExecuteStatementAsync(sql, null, sql);
        if (createdTables.Remove(name))
            createdTables.Add(newName);
    }

    /// <summary>
    /// Adds an index. On a table this script created, on SQLite, and on tables below
    /// <see cref="MigratorOptions.OnlineChangeMinRows"/> (the engine's estimate) it is one
    /// <c>CREATE INDEX</c>; on a larger table of MySQL or PostgreSQL it goes through the online
    /// copy-and-swap, so the application's writes keep flowing while it is built.
    /// </summary>
    public async Task CreateIndexAsync(string table, DbIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        ValidateTableName(table);
        var dialect = session.Database.Dialect;
        var name = index.Name ?? index.DefaultName(table);
        Identifiers.Validate(name, "index", dialect);
        if (await NeedsOnlineChangeAsync(table))
        {
            var model = await UseTableForAlterAsync(table);
            model.AddIndex(index.Name is null ? index.Named(name) : index);
            await DoneUsingTablesAsync(table);
            return;
        }
        var sql = dialect.CreateIndexSql(table, name, index.Columns, index.IsUnique);
        await ExecuteStatementAsync(sql, null, sql);
    }

    /// <summary>Drops an index of a table.</summary>
    public Task DropIndexAsync(string table, string index)
    {
        ValidateTableName(table);
        Identifiers.Validate(index, "index", session.Database.Dialect);
        var sql = session.Database.Dialect.DropIndexSql(table, index);
        return ExecuteStatementAsync(sql, null, sql);
    }

    /// <summary>
    /// Adds a foreign key to an existing table. PostgreSQL adds it <c>NOT VALID</c> and validates it
    /// without blocking writes; MySQL alters small tables (and tables this script created) in place
    /// and large ones through the online copy-and-swap; SQLite, which cannot add a key in place,
    /// rebuilds the table.
    /// </summary>
    public async Task AddForeignKeyAsync(string table, DbForeignKey foreignKey)
    {
        ArgumentNullException.ThrowIfNull(foreignKey);
        ValidateTableName(table);
        var dialect = session.Database.Dialect;
        var name = foreignKey.Name ?? foreignKey.DefaultName(table);
        Identifiers.Validate(name, "foreign key", dialect);
        Identifiers.Validate(foreignKey.ReferencedTable, "table", dialect);
        var inPlace = dialect.AddForeignKeySql(table, foreignKey, name);
        if (inPlace is null || (session.Database.Engine != DatabaseEngine.PostgreSql && await NeedsOnlineChangeAsync(table)))
        {
            if (IsDryRun && createdTables.Contains(table))
            {
                session.Plan.Add(new PlannedStep($"rebuild {table} (created above) with the foreign key {name}: {session.Database.Engine.ProductName()} cannot add it in place", []));
                return;
            }
            var model = await UseTableForAlterAsync(table);
            model.AddForeignKey(foreignKey.Name is null ? foreignKey.Named(name) : foreignKey);
            await DoneUsingTablesAsync(table);
            return;
        }
        foreach (var sql in inPlace)
            await ExecuteStatementAsync(sql, null, sql);
    }

    /// <summary>True when a change to <paramref name="table"/> should go through the online copy-and-swap rather than one statement.</summary>
    private async Task<bool> NeedsOnlineChangeAsync(string table)
    {
        if (createdTables.Contains(table) || !session.Database.TableEngine.SwapsOnline(null, session.Run.Options.Swap))
            return false;
        var schema = await session.Database.TableEngine.LoadTableAsync(session.Connection, session.Transaction, table, CancellationToken)
            ?? throw MissingTable(table);
        return schema.EstimatedRows >= session.Run.Options.OnlineChangeMinRows;
    }

    private void ValidateTableName(string name)
    {
        Identifiers.Validate(name, "table", session.Database.Dialect);
        if (SwapNames.IsSwapName(name))
            throw new SwapException(SwapErrorKind.Refused, $"'{name}' is one of Swap's own work tables; pick another name.");
    }
}
