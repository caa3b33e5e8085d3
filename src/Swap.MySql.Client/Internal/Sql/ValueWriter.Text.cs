using System.Buffers;
using System.Text;

namespace Swap.MySql.Client.Internal.Sql;

internal static partial class ValueWriter
{
    private static void WriteString(ByteBuffer output, string value, IStringEscaper escaper, string name)
    {
        int byteCount;
        try
        {
            byteCount = SqlRewriter.StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException ex)
        {
            throw new MySqlException($"Parameter '@{name}' is not valid UTF-16 (unpaired surrogate).", MySqlErrorCodes.ParameterValueInvalid, null, ex);
        }
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(byteCount, 1));
        try
        {
            var utf8 = rented.AsSpan(0, SqlRewriter.StrictUtf8.GetBytes(value, rented));
            var span = output.GetSpan(utf8.Length * 2 + 3);
            span[0] = (byte)'\'';
            var written = escaper.Escape(utf8, span[1..]);
            span[written + 1] = (byte)'\'';
            output.Advance(written + 2);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void WriteBinary(ByteBuffer output, ReadOnlySpan<byte> bytes)
    {
        var span = output.GetSpan(bytes.Length * 2 + 3);
        span[0] = (byte)'X';
        span[1] = (byte)'\'';
        Convert.TryToHexString(bytes, span.Slice(2, bytes.Length * 2), out _);
        span[bytes.Length * 2 + 2] = (byte)'\'';
        output.Advance(bytes.Length * 2 + 3);
    }
}
