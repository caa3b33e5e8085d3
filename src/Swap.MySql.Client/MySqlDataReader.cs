using System.Collections;
using System.Data;
using System.Data.Common;
using Swap.MySql.Client.Internal.Native;
using Swap.MySql.Client.Internal.Reader;
using Swap.MySql.Client.Internal.Session;

namespace Swap.MySql.Client;

/// <summary>
/// Streams rows with <c>mysql_use_result</c>: each <see cref="Read"/> fetches one row from the
/// network buffer and values are decoded only when a getter asks, so memory stays flat however
/// many rows are read. Values are valid until the next <see cref="Read"/>.
/// </summary>
public sealed partial class MySqlDataReader : DbDataReader
{
    private static readonly Task<bool> TrueTask = Task.FromResult(true);
    private static readonly Task<bool> FalseTask = Task.FromResult(false);

    private readonly MySqlCommand _command;
    private readonly MySqlConnection _connection;
    private readonly NativeSession _session;
    private readonly CommandBehavior _behavior;
    private nint _result;
    private ColumnInfo[] _columns = [];
    private Dictionary<string, int>? _ordinals;
    private nint _row;      // MYSQL_ROW (char**) of the current row, 0 if none
    private nint _lengths;  // unsigned long* from mysql_fetch_lengths
    private bool _peeked;
    private bool _hasRows;
    private bool _rowsDone = true;
    private bool _closed;
    private bool _resultPending; // a statement completed but its result was not yet taken with use_result
    private long _recordsAffected = -1;

    private MySqlDataReader(MySqlCommand command, MySqlConnection connection, NativeSession session, CommandBehavior behavior)
    {
        _command = command;
        _connection = connection;
        _session = session;
        _behavior = behavior;
    }

    public override int FieldCount => _closed ? throw Closed() : _columns.Length;

    public override int Depth => 0;

    public override bool IsClosed => _closed;

    /// <summary>Rows inserted, updated (matched unless <c>Use Affected Rows</c>) or deleted by the
    /// statements so far; -1 if only SELECTs ran. Final once the reader is closed.</summary>
    public override int RecordsAffected => (int)Math.Min(_recordsAffected, int.MaxValue);

    public override bool HasRows
    {
        get
        {
            if (_closed) throw Closed();
            if (_hasRows || _peeked) return true;
            if (_rowsDone) return false;
            _peeked = Read();
            return _peeked;
        }
    }

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    public override bool Read()
    {
        if (_peeked)
        {
            _peeked = false;
            return true;
        }
        if (_rowsDone)
        {
            if (_closed) throw Closed();
            _row = 0;
            return false;
        }
        var status = _session.StartFetchRow(_result);
        if (status != 0)
        {
            var reason = _session.Complete(PendingOp.FetchRow, _result, status, CancellationToken.None);
            if (reason != CancelReason.None) throw OnKilledAsync(reason, CancellationToken.None, async: false).GetAwaiter().GetResult();
        }
        return AcceptRow(_session.RowResult);
    }

    public override Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<bool>(cancellationToken);
        try
        {
            if (_peeked || _rowsDone) return Read() ? TrueTask : FalseTask;
            var status = _session.StartFetchRow(_result);
            if (status == 0) return AcceptRow(_session.RowResult) ? TrueTask : FalseTask;
            return ReadSlowAsync(status, cancellationToken);
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException)
        {
            return Task.FromException<bool>(ex);
        }
    }

    internal ValueTask<bool> ReadAsync(bool async, CancellationToken token) =>
        async ? new ValueTask<bool>(ReadAsync(token)) : new ValueTask<bool>(Read());

    private async Task<bool> ReadSlowAsync(int status, CancellationToken token)
    {
        var reason = await _session.CompleteAsync(PendingOp.FetchRow, _result, status, token).ConfigureAwait(false);
        if (reason != CancelReason.None) throw await OnKilledAsync(reason, token, async: true).ConfigureAwait(false);
        return AcceptRow(_session.RowResult);
    }

    private unsafe bool AcceptRow(nint row)
    {
        if (row != 0)
        {
            _row = row;
            _lengths = (nint)LibMariaDb.mysql_fetch_lengths(_result);
            _hasRows = true;
            return true;
        }
        _row = 0;
        _rowsDone = true;
        if (LibMariaDb.mysql_errno(_session.Handle) != 0) throw OnError(_session.LastError());
        return false;
    }

    private static InvalidOperationException Closed() => new("The data reader is closed.");
}
