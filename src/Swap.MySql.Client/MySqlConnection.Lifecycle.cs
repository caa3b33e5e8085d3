using System.Data;
using Swap.MySql.Client.Internal.Session;

namespace Swap.MySql.Client;

public sealed partial class MySqlConnection
{
    public override void Open()
    {
        var settings = BeginOpen();
        FinishOpen(NativeSession.Connect(settings));
    }

    /// <summary>
    /// Opens on the thread pool (libmariadb connects with blocking calls). If the token fires first,
    /// this returns at once and the half-made session is closed when its connect attempt ends
    /// (bounded by <c>Connection Timeout</c>).
    /// </summary>
    public override async Task OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var settings = BeginOpen();
        var connect = Task.Run(() => NativeSession.Connect(settings), CancellationToken.None);
        NativeSession session;
        try
        {
            session = await connect.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ = connect.ContinueWith(static t =>
            {
                if (t.IsCompletedSuccessfully) t.Result.Dispose();
                else _ = t.Exception;
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
        FinishOpen(session);
    }

    private ConnectionSettings BeginOpen()
    {
        if (_state != ConnectionState.Closed)
            throw new InvalidOperationException($"The connection is already {_state}; close it before opening again.");
        return new ConnectionSettings(_builder);
    }

    private void FinishOpen(NativeSession session)
    {
        _session = session;
        _database = _builder.Database;
        _opened = true;
        SetState(ConnectionState.Open);
    }

    /// <summary>Closes the session. A pending transaction is rolled back by the server.</summary>
    public override void Close()
    {
        if (_state == ConnectionState.Closed) return;
        try
        {
            if (ActiveReader is { } reader && _session != null)
            {
                // The session ends anyway: cut the socket so unread rows are not drained first.
                QueryKiller.Shutdown(_session.Socket);
                reader.CloseQuietly();
            }
        }
        finally
        {
            ActiveReader = null;
            CurrentTransaction?.Abandon();
            CurrentTransaction = null;
            _session?.Dispose();
            _session = null;
            SetState(ConnectionState.Closed);
        }
    }

    public override Task CloseAsync()
    {
        Close();
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Close();
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Marks the connection Broken after an error that leaves the session unusable.</summary>
    internal void SetBroken()
    {
        if (_state != ConnectionState.Open) return;
        ActiveReader = null;
        CurrentTransaction?.Abandon();
        CurrentTransaction = null;
        _session?.Dispose();
        _session = null;
        SetState(ConnectionState.Broken);
    }

    private void SetState(ConnectionState state)
    {
        var previous = _state;
        if (previous == state) return;
        _state = state;
        OnStateChange(new StateChangeEventArgs(previous, state));
    }
}
