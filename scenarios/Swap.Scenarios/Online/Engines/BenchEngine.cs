using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Swap.Scenarios.Online.Contenders;
using Swap.Scenarios.Online.Data;
using Swap.Scenarios.Online.Load;

namespace Swap.Scenarios.Online.Engines;

/// <summary>Another bench run holds the server (<see cref="BenchEngine.ClaimServerAsync"/>).</summary>
internal sealed class ServerBusyException(string message) : Exception(message);

/// <summary>The column names and index names a table has, to check that a contender made the change.</summary>
internal sealed record TableShape(IReadOnlyList<string> Columns, IReadOnlyList<string> Indexes);

/// <summary>
/// One database engine in the benchmark: a template table loaded once through the engine's bulk
/// path, a private workspace per contender (a MariaDB database, a PostgreSQL schema, a SQLite
/// file) holding an identical clone of it, and the contenders that change it.
/// </summary>
internal abstract class BenchEngine : IAsyncDisposable
{
    /// <summary>Bumped whenever the generated rows change, so cached templates are rebuilt.</summary>
    protected const int DataVersion = 1;

    /// <summary>mariadb, postgres or sqlite.</summary>
    public abstract string Name { get; }

    public abstract Task<string> ServerVersionAsync(CancellationToken ct);

    /// <summary>The URL (with password) Swap connects to for a workspace.</summary>
    public abstract string UrlText(string workspace);

    /// <summary>A connection to the workspace (or the engine's admin scope when null), with the application's session settings.</summary>
    public abstract Task<DbConnection> OpenAsync(string? workspace, CancellationToken ct);

    /// <summary>
    /// Claims the server for this run, or throws saying another bench run has it: two runs on one
    /// server rebuild the same template and clone into the same workspaces. Held until disposed
    /// (a server-wide lock on a connection of its own); SQLite needs none.
    /// </summary>
    public virtual async Task<IAsyncDisposable?> ClaimServerAsync(CancellationToken ct)
    {
        if (ClaimSql is not { } claim)
            return null;
        var c = await OpenAsync(null, ct);
        object? got;
        try
        {
            got = await c.ScalarAsync(claim, ct);
        }
        catch
        {
            await c.DisposeAsync();
            throw;
        }
        if (got is null or DBNull || !(got is bool b ? b : Convert.ToInt64(got, CultureInfo.InvariantCulture) == 1))
        {
            await c.DisposeAsync();
            throw new ServerBusyException($"Another bench run is using this {Name} server (its lock is held): wait for it to end, or give this run servers of its own (SWAP_SERVERS_DIR).");
        }
        return c;
    }

    /// <summary>A query that takes the server-wide bench lock without waiting and returns 1 or true when it got it; null where none is needed.</summary>
    protected virtual string? ClaimSql => null;

    /// <summary>Loads the template of <paramref name="rows"/> rows unless a complete one is cached; returns the seconds spent loading (0 when cached).</summary>
    public abstract Task<double> EnsureTemplateAsync(TableModel table, long rows, CancellationToken ct);

    /// <summary>A fresh workspace holding an identical copy of the template (same rows, same indexes, statistics up to date).</summary>
    public abstract Task CloneAsync(TableModel table, long rows, string workspace, CancellationToken ct);

    public abstract Task DropWorkspaceAsync(string workspace, CancellationToken ct);

    /// <summary>
    /// After a clone, before the contender's writer starts: writes the clone's dirty pages out
    /// (PostgreSQL <c>CHECKPOINT</c>; MariaDB flushes the buffer pool), so no contender pays for
    /// the clone made before it. Returns the seconds it took.
    /// </summary>
    public virtual Task<double> SettleAsync(CancellationToken ct) => Task.FromResult(0.0);

    public abstract Task<TableShape> DescribeAsync(string workspace, TableModel table, CancellationToken ct);

    public abstract IReadOnlyList<Contender> Contenders { get; }

    public abstract string Quote(string name);

    /// <summary>The column's type; <paramref name="widened"/> gives the changed (BIGINT) type.</summary>
    public abstract string TypeSql(BenchColumn column, bool widened);

    /// <summary>An error a real application would retry (deadlock, lock wait timeout, busy).</summary>
    public abstract bool IsTransient(Exception error);

    /// <summary>How the concurrent writer executes its writes on this engine.</summary>
    public virtual IWriteApplier WriterApplier(TableModel table, DbConnection connection) => new WriteApplier(this, table, connection);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>CREATE TABLE for the original (or, with <paramref name="changed"/>, the changed) table; no secondary indexes.</summary>
    public string CreateTableSql(TableModel table, string name, bool changed, bool primaryKey = true)
    {
        var defs = new List<string>();
        foreach (var c in table.Columns)
        {
            defs.Add(ColumnSql(c, changed && !table.Change.AddOnly && c.Name == table.Change.Widened, null));
            if (changed && c.Name == table.Change.After)
                defs.Add(ColumnSql(table.Change.Added, false, table.Change.DefaultValue));
        }
        if (primaryKey)
            defs.Add("PRIMARY KEY (id)");
        return $"CREATE TABLE {name} (\n  {string.Join(",\n  ", defs)}\n){TableOptions}";
    }

    protected virtual string TableOptions => "";

    /// <summary>A column definition; the key column comes from <see cref="TypeSql"/>.</summary>
    public string ColumnSql(BenchColumn c, bool widened, string? defaultValue)
    {
        var sql = Quote(c.Name) + " " + TypeSql(c, widened);
        if (c.Type == BenchType.Key)
            return sql;
        if (defaultValue is not null)
            sql += " DEFAULT '" + defaultValue + "'";
        else if (c.Type is BenchType.Int or BenchType.BigInt)
            sql += " DEFAULT 0";
        return sql + (c.Nullable ? " NULL" : " NOT NULL");
    }

    public string IndexSql(BenchIndex index, string table, string? name = null) =>
        $"CREATE {(index.Unique ? "UNIQUE " : "")}INDEX {Quote(name ?? index.Name)} ON {table} ({string.Join(", ", index.Columns.Select(Quote))})";

    public string InsertSql(TableModel table) =>
        $"INSERT INTO {Quote(table.Name)} ({string.Join(", ", table.Columns.Select(c => Quote(c.Name)))}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => "@c" + i))})";

    /// <summary>
    /// SHA-256 over every row (ordered by key) of the columns after the change, read by name, each
    /// value in one canonical text form; the same content gives the same hash whatever the column
    /// order or integer width.
    /// </summary>
    public async Task<(string Hash, long Rows)> HashAsync(string workspace, TableModel table, CancellationToken ct)
    {
        await using var connection = await OpenAsync(workspace, ct);
        await using var command = Sql.Command(connection, $"SELECT {string.Join(", ", table.FinalColumns.Select(Quote))} FROM {Quote(table.Name)} ORDER BY {Quote("id")}");
        await using var reader = await command.ExecuteReaderAsync(ct);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new StringBuilder();
        long rows = 0;
        while (await reader.ReadAsync(ct))
        {
            buffer.Clear();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                buffer.Append(reader.IsDBNull(i) ? "\u2205" : Canonical(reader.GetValue(i)));
                buffer.Append('\u001f');
            }
            buffer.Append('\u001e');
            sha.AppendData(Encoding.UTF8.GetBytes(buffer.ToString()));
            rows++;
        }
        return (Convert.ToHexStringLower(sha.GetHashAndReset()), rows);
    }

    private static string Canonical(object value) => value switch
    {
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Rows as parameter arrays, in batches of <paramref name="batch"/>, for the bulk loaders.</summary>
    protected static IEnumerable<(long First, int Count)> Batches(long rows, int batch)
    {
        for (long first = 1; first <= rows; first += batch)
            yield return (first, (int)Math.Min(batch, rows - first + 1));
    }
}
