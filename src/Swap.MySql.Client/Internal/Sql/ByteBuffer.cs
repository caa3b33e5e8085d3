using System.Buffers;
using System.Text;

namespace Swap.MySql.Client.Internal.Sql;

/// <summary>A growable byte buffer rented from <see cref="ArrayPool{T}"/>; holds one statement's SQL.</summary>
internal sealed class ByteBuffer : IDisposable
{
    private byte[] _buffer;

    internal ByteBuffer(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 256));

    internal int Length { get; private set; }

    internal ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    internal Span<byte> GetSpan(int sizeHint)
    {
        if (_buffer.Length - Length < sizeHint) Grow(sizeHint);
        return _buffer.AsSpan(Length);
    }

    /// <summary>Pins the buffer while libmariadb sends it (a non-blocking send may span several calls).</summary>
    internal MemoryHandle Pin() => _buffer.AsMemory(0, Length).Pin();

    internal void Advance(int count) => Length += count;

    internal void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Length += bytes.Length;
    }

    internal void Append(byte b)
    {
        GetSpan(1)[0] = b;
        Length++;
    }

    internal void AppendUtf8(ReadOnlySpan<char> text, Encoding encoding)
    {
        var span = GetSpan(encoding.GetMaxByteCount(text.Length));
        Length += encoding.GetBytes(text, span);
    }

    private void Grow(int sizeHint)
    {
        var needed = (long)Length + sizeHint;
        var size = Math.Max(needed, (long)_buffer.Length * 2);
        if (size > Array.MaxLength) size = Math.Max(needed, Array.MaxLength);
        if (size > Array.MaxLength) throw new InvalidOperationException("The SQL statement is larger than 2 GB.");
        var next = ArrayPool<byte>.Shared.Rent((int)size);
        _buffer.AsSpan(0, Length).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
