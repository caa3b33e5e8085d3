using System.Text;

namespace Swap.OnlineSql;

/// <summary>One token of a DDL statement: a word, a quoted identifier, a string or number literal, or punctuation.</summary>
internal sealed record SqlToken(SqlTokenKind Kind, string Text, string Raw)
{
    /// <summary>Where the token starts in the statement's text (its end is <c>Start + Raw.Length</c>).</summary>
    public int Start { get; init; }

    public bool Is(string word) => Kind == SqlTokenKind.Word && Text.Equals(word, StringComparison.OrdinalIgnoreCase);

    public bool IsPunct(char c) => Kind == SqlTokenKind.Punct && Text[0] == c;

    /// <summary>The token as a name: a word or a quoted identifier, unquoted.</summary>
    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.Quoted;
}

internal enum SqlTokenKind
{
    Word,
    Quoted,
    String,
    Number,
    Punct,
}

/// <summary>Splits one statement into tokens; comments are dropped. Identifiers quoted with "", `` or [] are unquoted.</summary>
internal static class SqlTokenizer
{
    public static List<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                while (i < sql.Length && sql[i] != '\n')
                    i++;
            }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
            }
            else if (c is '"' or '`' or '[')
            {
                var close = c == '[' ? ']' : c;
                var (text, next) = ReadQuoted(sql, i, close);
                tokens.Add(new SqlToken(SqlTokenKind.Quoted, text, sql[i..next]) { Start = i });
                i = next;
            }
            else if (c == '\'')
            {
                var (_, next) = ReadQuoted(sql, i, '\'');
                tokens.Add(new SqlToken(SqlTokenKind.String, sql[i..next], sql[i..next]) { Start = i });
                i = next;
            }
            else if (char.IsDigit(c) || (c is '-' or '+' && i + 1 < sql.Length && char.IsDigit(sql[i + 1]) && PrevAllowsSign(tokens)))
            {
                var start = i++;
                while (i < sql.Length && (char.IsDigit(sql[i]) || sql[i] == '.'))
                    i++;
                tokens.Add(new SqlToken(SqlTokenKind.Number, sql[start..i], sql[start..i]) { Start = start });
            }
            else if (char.IsLetter(c) || c is '_' or '$')
            {
                var start = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$'))
                    i++;
                tokens.Add(new SqlToken(SqlTokenKind.Word, sql[start..i], sql[start..i]) { Start = start });
            }
            else
            {
                tokens.Add(new SqlToken(SqlTokenKind.Punct, c.ToString(), c.ToString()) { Start = i });
                i++;
            }
        }
        return tokens;
    }

    private static bool PrevAllowsSign(List<SqlToken> tokens) =>
        tokens.Count == 0 || tokens[^1].Kind == SqlTokenKind.Punct || tokens[^1].Is("DEFAULT");

    private static (string Text, int Next) ReadQuoted(string sql, int start, char close)
    {
        var sb = new StringBuilder();
        var i = start + 1;
        while (i < sql.Length)
        {
            if (sql[i] == close)
            {
                if (close != ']' && i + 1 < sql.Length && sql[i + 1] == close)
                {
                    sb.Append(close);
                    i += 2;
                    continue;
                }
                return (sb.ToString(), i + 1);
            }
            sb.Append(sql[i++]);
        }
        throw new FormatException($"a quoted name or string starting at character {start + 1} is not closed");
    }
}
