using System.Data;
using Swap.MySql.Client.Internal.Native;
using Swap.MySql.Client.Internal.Reader;
using Swap.MySql.Client.Internal.Session;
using Swap.MySql.Client.Internal.Sql;

namespace Swap.MySql.Client;

public sealed partial class MySqlDataReader
{
    internal static async ValueTask<MySqlDataReader> ExecuteAsync(MySqlCommand command, CommandBehavior behavior, bool async, CancellationToken token)
    {
        token.ThrowIfCancellationRequested();
        var connection = command.RequireConnection();
        var session = connection.Session;
        var reader = new MySqlDataReader(command, connection, session, behavior);
        using var sql = SqlRewriter.Build(command.CommandText, command.Parameters.CreateLookup(), new NativeEscaper(session), session.Settings.AllowUserVariables);
        command.LastInsertedId = 0;
        connection.ActiveReader = reader;
        session.Guard.TimeoutMs = command.CommandTimeout >= int.MaxValue / 1000 ? 0 : command.CommandTimeout * 1000;
        try
        {
            CancelReason reason;
            using (var pinned = sql.Pin())
            {
                var status = session.StartQuery(pinned, sql.Length);
                reason = async
                    ? await session.CompleteAsync(PendingOp.Query, 0, status, token).ConfigureAwait(false)
                    : session.Complete(PendingOp.Query, 0, status, token);
            }
            reader._resultPending = session.IntResult == 0;
            if (reason != CancelReason.None) throw await reader.OnKilledAsync(reason, token, async).ConfigureAwait(false);
            if (session.IntResult != 0) throw reader.OnError(session.LastError());
            await reader.OpenResultAsync(async, token).ConfigureAwait(false);
            return reader;
        }
        catch when (!reader._closed)
        {
            reader.CloseQuietly();
            throw;
        }
    }

    /// <summary>
    /// Positions on the next statement that returns columns, adding up affected rows of the
    /// statements in between (as ADO.NET readers skip non-query statements).
    /// </summary>
    private async ValueTask OpenResultAsync(bool async, CancellationToken token)
    {
        while (true)
        {
            _resultPending = false;
            if (_session.FieldCount > 0)
            {
                _result = LibMariaDb.mysql_use_result(_session.Handle);
                if (_result == 0) throw OnError(_session.LastError("mysql_use_result failed."));
                _columns = ReadColumns(_result, _session.Settings.TreatTinyAsBoolean);
                _ordinals = null;
                _rowsDone = false;
                _hasRows = false;
                return;
            }
            _recordsAffected = Math.Max(_recordsAffected, 0) + (long)_session.AffectedRows;
            var insertId = _session.InsertId;
            if (insertId != 0) _command.LastInsertedId = (long)insertId;
            _columns = [];
            if (!_session.MoreResults) return;
            await AdvanceAsync(async, token).ConfigureAwait(false);
        }
    }

    /// <summary>mysql_next_result through the guarded wait; throws on error or kill.</summary>
    private async ValueTask AdvanceAsync(bool async, CancellationToken token)
    {
        var status = _session.StartNextResult();
        var reason = async
            ? await _session.CompleteAsync(PendingOp.NextResult, 0, status, token).ConfigureAwait(false)
            : _session.Complete(PendingOp.NextResult, 0, status, token);
        _resultPending = _session.IntResult == 0;
        if (reason != CancelReason.None) throw await OnKilledAsync(reason, token, async).ConfigureAwait(false);
        if (_session.IntResult > 0) throw OnError(_session.LastError());
    }

    private static unsafe ColumnInfo[] ReadColumns(nint result, bool treatTinyAsBoolean)
    {
        var count = LibMariaDb.mysql_num_fields(result);
        var columns = new ColumnInfo[count];
        for (uint i = 0; i < count; i++)
            columns[i] = ColumnInfo.From((MySqlFieldNative*)LibMariaDb.mysql_fetch_field_direct(result, i), treatTinyAsBoolean);
        return columns;
    }
}
