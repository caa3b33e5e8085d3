using System.Runtime.InteropServices;
using Swap.MySql.Client.Internal.Native;
using Swap.MySql.Client.Internal.Session;

namespace Swap.MySql.Client.Internal.Sql;

/// <summary>
/// <c>mysql_real_escape_string</c> under the connection's character set (always utf8mb4), which
/// also honours NO_BACKSLASH_ESCAPES by doubling quotes instead.
/// </summary>
internal sealed unsafe class NativeEscaper(NativeSession session) : IStringEscaper
{
    public bool NoBackslashEscapes { get; } = session.NoBackslashEscapes;

    public int Escape(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < source.Length * 2 + 1) throw new ArgumentException("Escape buffer too small.", nameof(destination));
        fixed (byte* from = source)
        fixed (byte* to = destination)
        {
            var written = LibMariaDb.mysql_real_escape_string(session.Handle, to, from, new CULong((nuint)source.Length)).Value;
            if (written == unchecked((nuint)(-1)))
                throw new MySqlException("mysql_real_escape_string rejected a parameter value.", MySqlErrorCodes.ParameterValueInvalid, null);
            return (int)written;
        }
    }
}
