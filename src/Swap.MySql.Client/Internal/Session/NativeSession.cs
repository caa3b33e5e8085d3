using System.Runtime.InteropServices;
using Swap.MySql.Client.Internal.Native;

namespace Swap.MySql.Client.Internal.Session;

/// <summary>
/// Owns one libmariadb <c>MYSQL*</c> handle. Not thread-safe: one connection serves one caller at a
/// time; only <see cref="Guard"/> is touched from other threads (to kill a running query).
/// </summary>
internal sealed unsafe partial class NativeSession : IDisposable
{
    private nint _handle;
    private readonly void* _scratch; // out-parameters of *_cont calls that may run on another thread

    private NativeSession(nint handle, ConnectionSettings settings)
    {
        _handle = handle;
        Settings = settings;
        _scratch = NativeMemory.AllocZeroed(16);
        ThreadId = LibMariaDb.mysql_thread_id(handle).Value;
        Socket = LibMariaDb.mysql_get_socket(handle);
        ServerVersion = Marshal.PtrToStringUTF8(LibMariaDb.mysql_get_server_info(handle)) ?? "";
        Guard = new CommandGuard(this);
    }

    internal ConnectionSettings Settings { get; }
    internal ulong ThreadId { get; }
    internal string ServerVersion { get; }
    internal CommandGuard Guard { get; }
    internal nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(NativeSession));
    /// <summary>The connection's socket descriptor, fixed for the session's life (read without the handle by other threads).</summary>
    internal int Socket { get; }

    /// <summary>Whether the server currently runs with NO_BACKSLASH_ESCAPES (changes with sql_mode).</summary>
    internal bool NoBackslashEscapes
    {
        get
        {
            uint status = 0;
            LibMariaDb.mariadb_get_info(Handle, MariaDbValue.ConnectionServerStatus, &status);
            return (status & NativeConstants.ServerStatusNoBackslashEscapes) != 0;
        }
    }

    internal ulong AffectedRows => LibMariaDb.mysql_affected_rows(Handle);
    internal ulong InsertId => LibMariaDb.mysql_insert_id(Handle);
    internal uint FieldCount => LibMariaDb.mysql_field_count(Handle);
    internal bool MoreResults => LibMariaDb.mysql_more_results(Handle) != 0;

    /// <summary>The last error on this handle as an exception (password scrubbed).</summary>
    internal MySqlException LastError(string? fallback = null)
    {
        var number = (int)LibMariaDb.mysql_errno(Handle);
        var message = Marshal.PtrToStringUTF8(LibMariaDb.mysql_error(Handle));
        var sqlState = Marshal.PtrToStringUTF8(LibMariaDb.mysql_sqlstate(Handle));
        if (number == 0) number = MySqlErrorCodes.UnknownError;
        if (string.IsNullOrEmpty(message)) message = fallback ?? "Unknown error from libmariadb.";
        return new MySqlException(Settings.Scrub(message), number, sqlState is null or "00000" or "HY000" && number >= 2000 ? null : sqlState);
    }

    public void Dispose()
    {
        var handle = Interlocked.Exchange(ref _handle, 0);
        if (handle == 0) return;
        Guard.Dispose();
        LibMariaDb.mysql_close(handle);
        NativeMemory.Free(_scratch);
    }
}
