using System.Runtime.InteropServices;
using Swap.MySql.Client.Internal.Native;

namespace Swap.MySql.Client.Internal.Session;

internal sealed unsafe partial class NativeSession
{
    /// <summary>
    /// Runs a short statement with the blocking API and discards any results. Returns the error
    /// (or null); with <paramref name="ignoreErrors"/> errors are swallowed unless they break the connection.
    /// </summary>
    internal MySqlException? ExecuteBlocking(ReadOnlySpan<byte> sql, bool ignoreErrors)
    {
        MySqlException? error = null;
        fixed (byte* p = sql)
        {
            if (LibMariaDb.mysql_real_query(Handle, p, new CULong((nuint)sql.Length)) != 0) error = LastError();
        }
        while (error == null)
        {
            var result = LibMariaDb.mysql_use_result(Handle);
            if (result != 0) LibMariaDb.mysql_free_result(result);
            if (!MoreResults) break;
            if (LibMariaDb.mysql_next_result(Handle) > 0) error = LastError();
        }
        if (error != null && ignoreErrors && !MySqlErrorCodes.BreaksConnection(error.Number)) return null;
        return error;
    }
}
