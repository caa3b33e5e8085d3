using System.Runtime.InteropServices;
using Swap.MySql.Client.Internal.Native;

namespace Swap.MySql.Client.Internal.Session;

/// <summary>An operation of the non-blocking API that is waiting for the socket.</summary>
internal enum PendingOp { Query, FetchRow, NextResult, FreeResult }

internal sealed unsafe partial class NativeSession
{
    // Each operation starts without blocking; a non-zero status means "wait for these socket
    // events, then continue". The hot path (a row already in libmariadb's read buffer) returns 0.

    /// <summary>Starts sending a statement; the pinned buffer must stay pinned until the query completes.</summary>
    internal int StartQuery(System.Buffers.MemoryHandle pinned, int length) =>
        LibMariaDb.mysql_real_query_start((int*)_scratch, Handle, (byte*)pinned.Pointer, new CULong((nuint)length));

    internal int StartNextResult() => LibMariaDb.mysql_next_result_start((int*)_scratch, Handle);

    internal static int StartFreeResult(nint result) => LibMariaDb.mysql_free_result_start(result);

    internal int StartFetchRow(nint result) => LibMariaDb.mysql_fetch_row_start((byte***)_scratch, result);

    /// <summary>Return code of the last completed Query/NextResult (0 = success).</summary>
    internal int IntResult => *(int*)_scratch;

    /// <summary>Row of the last completed FetchRow (null = end of rows or error).</summary>
    internal nint RowResult => (nint)(*(byte***)_scratch);

    private int Continue(PendingOp op, nint result, int ready) => op switch
    {
        PendingOp.Query => LibMariaDb.mysql_real_query_cont((int*)_scratch, Handle, ready),
        PendingOp.FetchRow => LibMariaDb.mysql_fetch_row_cont((byte***)_scratch, result, ready),
        PendingOp.NextResult => LibMariaDb.mysql_next_result_cont((int*)_scratch, Handle, ready),
        PendingOp.FreeResult => LibMariaDb.mysql_free_result_cont(result, ready),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>
    /// Finishes a started operation, blocking the calling thread in poll(2). Returns why the query
    /// was killed meanwhile (token or timeout), or <see cref="CancelReason.None"/>.
    /// </summary>
    internal CancelReason Complete(PendingOp op, nint result, int status, CancellationToken token)
    {
        if (status == 0) return CancelReason.None;
        Guard.BeginWait(token);
        try
        {
            while (status != 0) status = Continue(op, result, WaitForSocket(status));
        }
        finally
        {
            Guard.EndWait();
        }
        return Guard.TakeReason();
    }

    /// <summary>As <see cref="Complete"/>, but the wait runs on the thread pool.</summary>
    internal ValueTask<CancelReason> CompleteAsync(PendingOp op, nint result, int status, CancellationToken token) =>
        status == 0
            ? new ValueTask<CancelReason>(CancelReason.None)
            : new ValueTask<CancelReason>(Task.Run(() => Complete(op, result, status, token), CancellationToken.None));

    private int WaitForSocket(int status)
    {
        var timeout = (status & NativeConstants.WaitTimeout) != 0 ? (int)LibMariaDb.mysql_get_timeout_value_ms(Handle) : -1;
        Libc.PollFd fd = default;
        fd.Fd = Socket;
        if ((status & NativeConstants.WaitRead) != 0) fd.Events |= Libc.PollIn;
        if ((status & NativeConstants.WaitWrite) != 0) fd.Events |= Libc.PollOut;
        if ((status & NativeConstants.WaitExcept) != 0) fd.Events |= Libc.PollPri;
        int rc;
        do rc = Libc.poll(&fd, 1, timeout);
        while (rc < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == 4); // EINTR
        if (rc == 0) return NativeConstants.WaitTimeout;
        var ready = 0;
        if ((fd.REvents & (Libc.PollIn | Libc.PollErr | Libc.PollHup)) != 0) ready |= NativeConstants.WaitRead;
        if ((fd.REvents & Libc.PollOut) != 0) ready |= NativeConstants.WaitWrite;
        if ((fd.REvents & Libc.PollPri) != 0) ready |= NativeConstants.WaitExcept;
        return ready == 0 ? status & ~NativeConstants.WaitTimeout : ready;
    }
}
