using System.Data;
using System.Data.Common;

namespace Swap.MySql.Client;

/// <summary>
/// A transaction started with <c>START TRANSACTION</c> after setting the isolation level for it.
/// Disposing without <see cref="Commit"/> rolls back. Only one transaction per connection.
/// </summary>
public sealed class MySqlTransaction : DbTransaction
{
    private MySqlConnection? _connection;

    private MySqlTransaction(MySqlConnection connection, IsolationLevel isolationLevel)
    {
        _connection = connection;
        IsolationLevel = isolationLevel;
    }

    public override IsolationLevel IsolationLevel { get; }

    /// <summary>The connection, or null once committed or rolled back.</summary>
    public new MySqlConnection? Connection => _connection;

    protected override DbConnection? DbConnection => _connection;

    internal static async ValueTask<MySqlTransaction> BeginAsync(MySqlConnection connection, IsolationLevel level, bool async, CancellationToken token)
    {
        if (connection.State != ConnectionState.Open) throw new InvalidOperationException($"The connection must be open; its state is {connection.State}.");
        if (connection.CurrentTransaction != null) throw new InvalidOperationException("The connection already has a transaction; nested transactions are not supported.");
        var sql = level switch
        {
            IsolationLevel.Unspecified => "START TRANSACTION",
            IsolationLevel.ReadUncommitted => "SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED; START TRANSACTION",
            IsolationLevel.ReadCommitted => "SET TRANSACTION ISOLATION LEVEL READ COMMITTED; START TRANSACTION",
            IsolationLevel.RepeatableRead => "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; START TRANSACTION",
            IsolationLevel.Serializable => "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; START TRANSACTION",
            IsolationLevel.Snapshot => "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; START TRANSACTION WITH CONSISTENT SNAPSHOT",
            _ => throw new NotSupportedException($"Isolation level {level} is not supported by MySQL."),
        };
        await Run(connection, sql, async, token).ConfigureAwait(false);
        var transaction = new MySqlTransaction(connection, level);
        connection.CurrentTransaction = transaction;
        return transaction;
    }

    public override void Commit() => Finish("COMMIT", async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override void Rollback() => Finish("ROLLBACK", async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task CommitAsync(CancellationToken cancellationToken = default) => Finish("COMMIT", async: true, cancellationToken).AsTask();

    public override Task RollbackAsync(CancellationToken cancellationToken = default) => Finish("ROLLBACK", async: true, cancellationToken).AsTask();

    private async ValueTask Finish(string sql, bool async, CancellationToken token)
    {
        var connection = _connection ?? throw new InvalidOperationException("The transaction has already been committed or rolled back.");
        try
        {
            await Run(connection, sql, async, token).ConfigureAwait(false);
        }
        finally
        {
            // After COMMIT/ROLLBACK is attempted the transaction is over either way: a failed
            // COMMIT leaves nothing to roll back that the server has not already discarded.
            Abandon();
        }
    }

    /// <summary>Forgets the transaction without talking to the server (connection closed or broken).</summary>
    internal void Abandon()
    {
        if (_connection?.CurrentTransaction == this) _connection.CurrentTransaction = null;
        _connection = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _connection is { State: ConnectionState.Open }) Rollback();
        Abandon();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_connection is { State: ConnectionState.Open }) await RollbackAsync().ConfigureAwait(false);
        Abandon();
    }

    private static async ValueTask Run(MySqlConnection connection, string sql, bool async, CancellationToken token)
    {
        using var command = new MySqlCommand(sql, connection);
        if (async) await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
        else command.ExecuteNonQuery();
    }
}
