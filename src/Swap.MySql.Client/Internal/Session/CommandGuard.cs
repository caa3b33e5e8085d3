namespace Swap.MySql.Client.Internal.Session;

/// <summary>
/// Stops a running query on the server when the caller's token fires or the command timeout
/// expires during a wait, the way MySqlConnector does: a second short-lived connection sends
/// <c>KILL QUERY &lt;thread id&gt;</c>. A kill is only issued while this session waits for the
/// server inside <see cref="BeginWait"/>/<see cref="EndWait"/>, and <see cref="AfterKill"/> waits
/// for it and absorbs a late kill with <c>DO SLEEP(0)</c> so it cannot hit the next statement.
/// The timeout bounds each wait for the server, not the total time spent reading rows.
/// </summary>
internal sealed class CommandGuard : IDisposable
{
    private readonly NativeSession _session;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private ITimer? _timer;
    private CancellationTokenRegistration _registration;
    private bool _waiting;
    private long _waitSeq;
    private long _armedSeq;
    private long _waitStarted;
    private CancelReason _reason;
    private Task? _kill;

    internal CommandGuard(NativeSession session, TimeProvider? time = null)
    {
        _session = session;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Timeout in milliseconds applied to each wait of the current command (0 = none).</summary>
    internal int TimeoutMs { get; set; }

    internal void BeginWait(CancellationToken token)
    {
        lock (_gate)
        {
            _waiting = true;
            _waitSeq++;
            _waitStarted = _time.GetTimestamp();
            if (TimeoutMs > 0)
            {
                _timer ??= _time.CreateTimer(static s => ((CommandGuard)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _armedSeq = _waitSeq;
                _timer.Change(TimeSpan.FromMilliseconds(TimeoutMs), Timeout.InfiniteTimeSpan);
            }
        }
        if (token.CanBeCanceled)
            _registration = token.UnsafeRegister(static s => ((CommandGuard)s!).RequestKill(CancelReason.Canceled), this);
    }

    internal void EndWait()
    {
        _registration.Dispose(); // waits for a running callback, so no kill starts after this
        _registration = default;
        lock (_gate) _waiting = false;
    }

    /// <summary>Why the last wait was interrupted; sticky until <see cref="AfterKill"/>.</summary>
    internal CancelReason TakeReason()
    {
        lock (_gate) return _reason;
    }

    internal void RequestKill(CancelReason reason)
    {
        lock (_gate)
        {
            if (!_waiting || _reason != CancelReason.None) return;
            _reason = reason;
            var settings = _session.Settings;
            var threadId = _session.ThreadId;
            var socket = _session.Socket;
            _kill = Task.Run(() => QueryKiller.Kill(settings, threadId, socket));
        }
    }

    /// <summary>Waits for the kill to reach the server, then clears a kill that arrived too late.</summary>
    internal void AfterKill()
    {
        Task? kill;
        lock (_gate) kill = _kill;
        var killed = kill == null || WaitQuietly(kill);
        lock (_gate)
        {
            _kill = null;
            _reason = CancelReason.None;
        }
        if (killed && kill != null) _session.ExecuteBlocking("DO SLEEP(0)"u8, ignoreErrors: true);
    }

    internal async Task AfterKillAsync()
    {
        Task? kill;
        lock (_gate) kill = _kill;
        if (kill != null) await Task.WhenAny(kill).ConfigureAwait(false);
        AfterKill();
    }

    private static bool WaitQuietly(Task kill)
    {
        try
        {
            kill.Wait();
            return true;
        }
        catch (AggregateException)
        {
            return false; // the connection was shut down instead; nothing to absorb
        }
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (!_waiting || _armedSeq != _waitSeq || _reason != CancelReason.None) return;
            var remaining = TimeSpan.FromMilliseconds(TimeoutMs) - _time.GetElapsedTime(_waitStarted);
            if (remaining > TimeSpan.FromMilliseconds(5))
            {
                _timer?.Change(remaining, Timeout.InfiniteTimeSpan);
                return;
            }
        }
        RequestKill(CancelReason.TimedOut);
    }

    public void Dispose()
    {
        _registration.Dispose();
        _timer?.Dispose();
    }
}
