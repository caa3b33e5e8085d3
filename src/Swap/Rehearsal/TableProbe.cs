using System.Data.Common;
using System.Text.RegularExpressions;
using Swap.Data;
using Swap.Dialects;

namespace Swap.Rehearsal;

/// <summary>
/// Reads table sizes (rows, table and index bytes) and the list of tables, inside a read-only
/// transaction: the same questions on staging and on production, so that their answers compare.
/// </summary>
internal sealed class TableProbe(SwapDatabase database, DbConnection connection, DbTransaction transaction)
{
    /// <summary>Below this many estimated rows a table is counted exactly (cheap, and small tables' statistics are often stale).</summary>
    private const long CountBelow = 100_000;

    /// <summary>Opens a connection whose every statement runs in a read-only transaction (SQLite: also <c>query_only</c>).</summary>
    public static async Task<(DbConnection Connection, DbTransaction Transaction, string Version)> OpenReadOnlyAsync(SwapDatabase database, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (database.Engine == DatabaseEngine.Sqlite)
                await connection.ExecuteAsync("PRAGMA query_only = ON", cancellationToken);
            var version = await database.ServerVersionAsync(connection, cancellationToken);
            return (connection, await database.BeginReadOnlyAsync(connection, cancellationToken), version);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection whose session only reads (no transaction held open), for readers that take no transaction, such as the history's.</summary>
    public static async Task<DbConnection> OpenReadOnlySessionAsync(SwapDatabase database, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(
                database.Engine switch
                {
                    DatabaseEngine.Sqlite => "PRAGMA query_only = ON",
                    DatabaseEngine.PostgreSql => "SET default_transaction_read_only = on",
                    _ => "SET SESSION TRANSACTION READ ONLY",
                },
                cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The names of the user tables of the target (not Swap's own work tables).</summary>
    public async Task<IReadOnlyList<string>> TablesAsync(CancellationToken cancellationToken)
    {
        var sql = database.Engine switch
        {
            DatabaseEngine.PostgreSql => "SELECT c.relname AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')",
            DatabaseEngine.MySql => "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
            _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        };
        var rows = await Query(sql, null, cancellationToken);
        return rows.Select(r => r.String("name")!).Where(n => !Engine.SwapNames.IsSwapName(n)).ToList();
    }

    /// <summary>The size of one table, or null when it does not exist there.</summary>
    public async Task<TableSize?> SizeAsync(string table, CancellationToken cancellationToken)
    {
        long? estimate = null, tableBytes = null, indexBytes = null;
        switch (database.Engine)
        {
            case DatabaseEngine.PostgreSql:
            {
                var rows = await Query(
                    "SELECT c.reltuples::bigint AS est, pg_catalog.pg_table_size(c.oid) AS tb, pg_catalog.pg_indexes_size(c.oid) AS ib FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = @table AND c.relkind IN ('r', 'p')",
                    new { table },
                    cancellationToken);
                if (rows.Count == 0)
                    return null;
                (estimate, tableBytes, indexBytes) = (rows[0].Int64("est"), rows[0].Int64("tb"), rows[0].Int64("ib"));
                break;
            }
            case DatabaseEngine.MySql:
            {
                var rows = await Query(
                    "SELECT TABLE_ROWS AS est, DATA_LENGTH AS tb, INDEX_LENGTH AS ib FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table AND TABLE_TYPE = 'BASE TABLE'",
                    new { table },
                    cancellationToken);
                if (rows.Count == 0)
                    return null;
                (estimate, tableBytes, indexBytes) = (rows[0].Int64("est"), rows[0].Int64("tb"), rows[0].Int64("ib"));
                break;
            }
            default:
            {
                if (await connection.ScalarAsync("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = @table", new { table }, transaction, cancellationToken) is null)
                    return null;
                (tableBytes, indexBytes) = await SqliteBytesAsync(table, cancellationToken);
                break;
            }
        }
        if (estimate is >= CountBelow)
            return new TableSize(table, estimate.Value, "estimate", tableBytes, indexBytes);
        var counted = await connection.ScalarAsync($"SELECT COUNT(*) FROM {database.Dialect.Quote(table)}", null, transaction, cancellationToken);
        return new TableSize(table, Convert.ToInt64(counted, System.Globalization.CultureInfo.InvariantCulture), "count", tableBytes, indexBytes);
    }

    /// <summary>SQLite's page counts through the dbstat table, when the library has it; else unknown.</summary>
    private async Task<(long?, long?)> SqliteBytesAsync(string table, CancellationToken cancellationToken)
    {
        try
        {
            var tb = await connection.ScalarAsync("SELECT SUM(pgsize) FROM dbstat WHERE name = @table", new { table }, transaction, cancellationToken);
            var ib = await connection.ScalarAsync("SELECT SUM(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = @table)", new { table }, transaction, cancellationToken);
            return (ToLong(tb), ToLong(ib) ?? 0);
        }
        catch (Exception e) when (database.IsDatabaseError(e))
        {
            return (null, null);
        }
    }

    private static long? ToLong(object? value) => value is null or DBNull ? null : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);

    private Task<List<Row>> Query(string sql, object? parameters, CancellationToken cancellationToken) =>
        connection.QueryAsync(sql, parameters, transaction, cancellationToken);

    /// <summary>The tables of <paramref name="known"/> that a statement names (whole words, any case).</summary>
    public static IReadOnlyList<string> Named(string statement, IEnumerable<string> known) =>
        known.Where(t => Dialects.Identifiers.IsNamedIn(statement, t)).ToList();
}
