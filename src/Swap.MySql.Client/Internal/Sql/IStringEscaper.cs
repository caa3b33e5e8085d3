namespace Swap.MySql.Client.Internal.Sql;

/// <summary>Escapes UTF-8 bytes for use between single quotes under the connection's rules.</summary>
internal interface IStringEscaper
{
    /// <summary>Whether backslash is an ordinary character in string literals (sql_mode NO_BACKSLASH_ESCAPES).</summary>
    bool NoBackslashEscapes { get; }

    /// <summary>Writes the escaped form of <paramref name="source"/> (at most 2n+1 bytes) and returns its length.</summary>
    int Escape(ReadOnlySpan<byte> source, Span<byte> destination);
}
