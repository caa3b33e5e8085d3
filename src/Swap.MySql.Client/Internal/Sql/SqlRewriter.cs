using System.Text;

namespace Swap.MySql.Client.Internal.Sql;

/// <summary>
/// Turns command text with <c>@name</c> parameters into the UTF-8 statement sent to the server.
/// A small lexer skips string literals, quoted identifiers and comments so that an <c>@x</c> inside
/// them is left alone; <c>@@var</c> is a system variable. Every value goes through
/// <see cref="ValueWriter"/>, which quotes and escapes it; nothing is concatenated raw.
/// </summary>
internal static class SqlRewriter
{
    internal static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    internal static ByteBuffer Build(string sql, Func<string, object?>? lookup, IStringEscaper escaper, bool allowUserVariables)
    {
        var buffer = new ByteBuffer(sql.Length + 64);
        try
        {
            if ((lookup is null && allowUserVariables) || !sql.Contains('@', StringComparison.Ordinal))
            {
                buffer.AppendUtf8(sql, StrictUtf8);
                return buffer;
            }
            Rewrite(sql, lookup ?? NoParameters, escaper, allowUserVariables, buffer);
            return buffer;
        }
        catch (EncoderFallbackException ex)
        {
            buffer.Dispose();
            throw new MySqlException("The command text is not valid UTF-16 (unpaired surrogate).", MySqlErrorCodes.ParameterValueInvalid, null, ex);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private static void Rewrite(string sql, Func<string, object?> lookup, IStringEscaper escaper, bool allowUserVariables, ByteBuffer output)
    {
        var backslash = !escaper.NoBackslashEscapes;
        var copied = 0; // sql[copied..i] is pending verbatim output
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            switch (c)
            {
                case '\'' or '"':
                    i = SkipQuoted(sql, i, c, backslash);
                    break;
                case '`':
                    i = SkipQuoted(sql, i, '`', backslashEscapes: false);
                    break;
                case '#':
                    i = SkipLine(sql, i);
                    break;
                case '-' when At(sql, i + 1) == '-' && (i + 2 == sql.Length || char.IsWhiteSpace(sql[i + 2]) || char.IsControl(sql[i + 2])):
                    i = SkipLine(sql, i);
                    break;
                case '/' when At(sql, i + 1) == '*':
                    var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    i = end < 0 ? sql.Length : end + 2;
                    break;
                case '@' when At(sql, i + 1) == '@':
                    i += 2;
                    while (i < sql.Length && (IsNameChar(sql[i]) || sql[i] == '.')) i++;
                    break;
                case '@' when IsNameChar(At(sql, i + 1)):
                    var start = i;
                    i++;
                    while (i < sql.Length && IsNameChar(sql[i])) i++;
                    var name = sql[(start + 1)..i];
                    var value = lookup(name);
                    if (value is not MissingParameter)
                    {
                        output.AppendUtf8(sql.AsSpan(copied, start - copied), StrictUtf8);
                        ValueWriter.Write(output, value, escaper, name);
                        copied = i;
                    }
                    else if (!allowUserVariables)
                    {
                        throw new MySqlException(
                            $"Parameter '@{name}' must be defined. To use it as a user variable, add 'Allow User Variables=true' to the connection string.",
                            MySqlErrorCodes.ParameterValueInvalid, null);
                    }
                    break;
                default:
                    i++;
                    break;
            }
        }
        output.AppendUtf8(sql.AsSpan(copied), StrictUtf8);
    }

    private static readonly Func<string, object?> NoParameters = _ => MissingParameter.Instance;

    private static char At(string s, int index) => index < s.Length ? s[index] : '\0';

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$' || c > 0x7F && char.IsLetterOrDigit(c);

    private static int SkipLine(string sql, int i)
    {
        var end = sql.IndexOf('\n', i);
        return end < 0 ? sql.Length : end + 1;
    }

    /// <summary>Returns the index just past the closing quote (or the end of text if unterminated).</summary>
    private static int SkipQuoted(string sql, int i, char quote, bool backslashEscapes)
    {
        i++;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '\\' && backslashEscapes) { i += 2; continue; }
            if (c == quote)
            {
                if (At(sql, i + 1) == quote) { i += 2; continue; }
                return i + 1;
            }
            i++;
        }
        return sql.Length;
    }
}

/// <summary>Sentinel returned by a parameter lookup when no parameter has that name.</summary>
internal sealed class MissingParameter
{
    internal static readonly MissingParameter Instance = new();
    private MissingParameter() { }
}
