using Swap.MySql.Client.Internal.Native;
using Swap.MySql.Client.Internal.Session;

namespace Swap.MySql.Client;

public sealed partial class MySqlDataReader
{
    public override bool NextResult() => NextResultAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task<bool> NextResultAsync(CancellationToken cancellationToken) =>
        NextResultAsync(async: true, cancellationToken).AsTask();

    internal async ValueTask<bool> NextResultAsync(bool async, CancellationToken token)
    {
        if (_closed) throw Closed();
        token.ThrowIfCancellationRequested();
        await FreeResultAsync(async, token).ConfigureAwait(false);
        if (!_session.MoreResults) return false;
        await AdvanceAsync(async, token).ConfigureAwait(false);
        await OpenResultAsync(async, token).ConfigureAwait(false);
        return _columns.Length > 0;
    }

    /// <summary>Releases the current result, reading and discarding rows not yet read.</summary>
    private async ValueTask FreeResultAsync(bool async, CancellationToken token)
    {
        var result = _result;
        if (result == 0) return;
        _result = 0;
        _row = 0;
        _peeked = false;
        _rowsDone = true;
        _columns = [];
        var status = NativeSession.StartFreeResult(result);
        var reason = async
            ? await _session.CompleteAsync(PendingOp.FreeResult, result, status, token).ConfigureAwait(false)
            : _session.Complete(PendingOp.FreeResult, result, status, token);
        if (reason != CancelReason.None) throw await OnKilledAsync(reason, token, async).ConfigureAwait(false);
        if (LibMariaDb.mysql_errno(_session.Handle) != 0) throw OnError(_session.LastError());
    }

    public override void Close() => CloseAsync(async: false).GetAwaiter().GetResult();

    public override Task CloseAsync() => CloseAsync(async: true).AsTask();

    public override ValueTask DisposeAsync() => CloseAsync(async: true);

    protected override void Dispose(bool disposing)
    {
        if (disposing) Close();
        base.Dispose(disposing);
    }

    /// <summary>Consumes the remaining rows and results so the connection can run the next command.</summary>
    private async ValueTask CloseAsync(bool async)
    {
        if (_closed) return;
        try
        {
            while (await NextResultAsync(async, CancellationToken.None).ConfigureAwait(false)) { }
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Closes without throwing (used when the connection closes under an open reader).</summary>
    internal void CloseQuietly()
    {
        if (_closed) return;
        DrainQuietly();
        Release();
    }

    private void Release()
    {
        if (_closed) return;
        _closed = true;
        _row = 0;
        _peeked = false;
        _rowsDone = true;
        if (_connection.ActiveReader == this) _connection.ActiveReader = null;
        _session.Guard.TimeoutMs = 0;
        if ((_behavior & System.Data.CommandBehavior.CloseConnection) != 0) _connection.Close();
    }

    /// <summary>Reads and discards everything still pending with blocking calls, ignoring errors.</summary>
    private void DrainQuietly()
    {
        if (_connection.SessionOrNull != _session) return; // already closed or broken
        var handle = _session.Handle;
        if (_result != 0) LibMariaDb.mysql_free_result(_result);
        _result = 0;
        if (_resultPending && _session.FieldCount > 0) FreeNext(handle);
        _resultPending = false;
        while (LibMariaDb.mysql_errno(handle) == 0 && _session.MoreResults)
        {
            if (LibMariaDb.mysql_next_result(handle) != 0) break;
            if (_session.FieldCount > 0) FreeNext(handle);
        }

        static void FreeNext(nint handle)
        {
            var result = LibMariaDb.mysql_use_result(handle);
            if (result != 0) LibMariaDb.mysql_free_result(result);
        }
    }

    /// <summary>Handles a statement error: a fatal one breaks the connection, otherwise the reader ends.</summary>
    private MySqlException OnError(MySqlException error)
    {
        if (MySqlErrorCodes.BreaksConnection(error.Number))
        {
            if (_result != 0) LibMariaDb.mysql_free_result(_result);
            _result = 0;
            Release();
            _connection.SetBroken();
        }
        else
        {
            DrainQuietly();
            Release();
        }
        return error;
    }

    /// <summary>
    /// After a kill: drain, wait for the KILL to land and absorb a late one, then report
    /// cancellation (<see cref="OperationCanceledException"/>) or a timeout (<see cref="MySqlException"/>).
    /// </summary>
    private async ValueTask<Exception> OnKilledAsync(CancelReason reason, CancellationToken token, bool async)
    {
        var serverError = LibMariaDb.mysql_errno(_session.Handle) != 0 ? _session.LastError() : null;
        var broken = serverError != null && MySqlErrorCodes.BreaksConnection(serverError.Number);
        if (!broken) DrainQuietly();
        else if (_result != 0) LibMariaDb.mysql_free_result(_result);
        _result = 0;
        if (async) await _session.Guard.AfterKillAsync().ConfigureAwait(false);
        else _session.Guard.AfterKill();
        var timeout = _command.CommandTimeout;
        Release();
        if (broken) _connection.SetBroken();
        return reason == CancelReason.Canceled
            ? new OperationCanceledException("The query was cancelled and stopped on the server with KILL QUERY.", serverError, token)
            : new MySqlException($"The command timeout of {timeout} s expired; the query was stopped on the server with KILL QUERY.",
                MySqlErrorCodes.CommandTimeoutExpired, null, serverError);
    }
}
