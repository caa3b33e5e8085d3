using System.Data.Common;

namespace Swap.Data;

/// <summary>Small async helpers over <see cref="DbConnection"/>; every call takes the run's token.</summary>
internal static class DbCommands
{
    public static DbCommand Create(DbConnection connection, DbTransaction? transaction, string sql, object? parameters = null, int timeoutSeconds = 0)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        // Zero keeps the connection's default; on SQLite a zero timeout would mean waiting forever on a busy database.
        if (timeoutSeconds > 0)
            command.CommandTimeout = timeoutSeconds;
        SqlParameters.Bind(command, SqlParameters.Read(parameters));
        return command;
    }

    public static async Task<int> ExecuteAsync(this DbConnection connection, string sql, object? parameters, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = Create(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs one statement as a one-command batch, which a driver sends without splitting it (see <see cref="Dialects.SqlDialect.SendsOneStatementAsBatch"/>).</summary>
    public static async Task<int> ExecuteAsBatchAsync(this DbConnection connection, string sql, object? parameters, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        foreach (var p in SqlParameters.Create(command.CreateParameter, SqlParameters.Read(parameters)))
            command.Parameters.Add(p);
        batch.BatchCommands.Add(command);
        return await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Runs statements without parameters in one round trip (a batch, in order, stopping at the first
    /// that fails); for work done while other sessions wait on a lock, where every round trip counts.
    /// </summary>
    public static async Task ExecuteAllAsync(this DbConnection connection, IEnumerable<string> statements, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var sql in statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = sql;
            batch.BatchCommands.Add(command);
        }
        if (batch.BatchCommands.Count > 0)
            await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public static Task<int> ExecuteAsync(this DbConnection connection, string sql, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(sql, null, null, cancellationToken);

    public static async Task<object?> ScalarAsync(this DbConnection connection, string sql, object? parameters, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = Create(connection, transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    public static Task<object?> ScalarAsync(this DbConnection connection, string sql, CancellationToken cancellationToken) =>
        connection.ScalarAsync(sql, null, null, cancellationToken);

    /// <summary>Reads all rows of a small result as dictionaries (column name, case-insensitive).</summary>
    public static async Task<List<Row>> QueryAsync(this DbConnection connection, string sql, object? parameters, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = Create(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<Row>();
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new object?[names.Length];
            for (var i = 0; i < names.Length; i++)
                values[i] = await reader.IsDBNullAsync(i, cancellationToken) ? null : reader.GetValue(i);
            rows.Add(new Row(names, values));
        }
        return rows;
    }

    public static Task<List<Row>> QueryAsync(this DbConnection connection, string sql, object? parameters, CancellationToken cancellationToken) =>
        connection.QueryAsync(sql, parameters, null, cancellationToken);
}
