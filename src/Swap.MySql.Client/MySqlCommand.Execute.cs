using System.Data;
using System.Data.Common;

namespace Swap.MySql.Client;

public sealed partial class MySqlCommand
{
    public override int ExecuteNonQuery() => ExecuteNonQueryAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => ExecuteNonQueryAsync(async: true, cancellationToken).AsTask();

    public override object? ExecuteScalar() => ExecuteScalarAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => ExecuteScalarAsync(async: true, cancellationToken).AsTask();

    public new MySqlDataReader ExecuteReader() => ExecuteReader(CommandBehavior.Default);

    public new MySqlDataReader ExecuteReader(CommandBehavior behavior) =>
        MySqlDataReader.ExecuteAsync(this, behavior, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public new Task<MySqlDataReader> ExecuteReaderAsync(CancellationToken cancellationToken = default) =>
        ExecuteReaderAsync(CommandBehavior.Default, cancellationToken);

    public new Task<MySqlDataReader> ExecuteReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken = default) =>
        MySqlDataReader.ExecuteAsync(this, behavior, async: true, cancellationToken).AsTask();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => ExecuteReader(behavior);

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        await ExecuteReaderAsync(behavior, cancellationToken).ConfigureAwait(false);

    private async ValueTask<int> ExecuteNonQueryAsync(bool async, CancellationToken token)
    {
        var reader = await MySqlDataReader.ExecuteAsync(this, CommandBehavior.Default, async, token).ConfigureAwait(false);
        try
        {
            while (async ? await reader.NextResultAsync(async: true, token).ConfigureAwait(false) : reader.NextResult()) { }
        }
        finally
        {
            if (async) await reader.DisposeAsync().ConfigureAwait(false);
            else reader.Dispose();
        }
        return reader.RecordsAffected;
    }

    private async ValueTask<object?> ExecuteScalarAsync(bool async, CancellationToken token)
    {
        var reader = await MySqlDataReader.ExecuteAsync(this, CommandBehavior.Default, async, token).ConfigureAwait(false);
        try
        {
            object? value = null;
            var hasRow = async ? await reader.ReadAsync(async: true, token).ConfigureAwait(false) : reader.Read();
            if (hasRow && reader.FieldCount > 0) value = reader.GetValue(0);
            while (async ? await reader.NextResultAsync(async: true, token).ConfigureAwait(false) : reader.NextResult()) { }
            return value;
        }
        finally
        {
            if (async) await reader.DisposeAsync().ConfigureAwait(false);
            else reader.Dispose();
        }
    }
}
