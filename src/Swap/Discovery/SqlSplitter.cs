using System.Text;
using Swap.Dialects;

namespace Swap.Discovery;

/// <summary>One statement of a SQL script, with the line it starts on.</summary>
internal sealed record SqlStatement(string Text, int Line);

/// <summary>
/// Splits a script into statements the way the engine's own client would: terminators inside
/// strings, quoted names, comments, dollar quotes (PostgreSQL) and trigger bodies (SQLite) do not
/// count, and <c>DELIMITER</c> works as in the mysql client. An unclosed quote or comment is an error.
/// </summary>
internal static class SqlSplitter
{
    public static IReadOnlyList<SqlStatement> Split(string sql, SqlSyntax syntax, string source, int firstLine = 1)
    {
        var statements = new List<SqlStatement>();
        var current = new StringBuilder();
        var delimiter = ";";
        var line = firstLine;
        var startLine = -1;          // line of the first meaningful character of the current statement
        var words = new List<string>(); // leading keywords of the current statement (for trigger bodies)
        var blockDepth = 0;
        var sawBegin = false;
        var inAtomic = false;        // inside a BEGIN ATOMIC … END body (PostgreSQL)
        string? previousWord = null;
        var i = 0;

        void Flush()
        {
            var text = current.ToString().Trim();
            if (startLine >= 0 && text.Length > 0)
                statements.Add(new SqlStatement(text, startLine));
            current.Clear();
            startLine = -1;
            words.Clear();
            blockDepth = 0;
            sawBegin = false;
            inAtomic = false;
            previousWord = null;
        }

        SwapException Unclosed(string what, int openedOn) => new(
            SwapErrorKind.InvalidMigration,
            $"{source}({openedOn}): {what} opened on line {openedOn} is never closed. Close it, or check for a stray quote.");

        while (i < sql.Length)
        {
            var c = sql[i];

            // DELIMITER command (mysql client syntax) at the start of a statement.
            if (syntax.DelimiterCommand && startLine < 0 && AtLineStart(sql, i) && StartsWithWord(sql, i, "DELIMITER"))
            {
                var end = sql.IndexOf('\n', i);
                if (end < 0)
                    end = sql.Length;
                var arg = sql[(i + "DELIMITER".Length)..end].Trim();
                if (arg.Length == 0)
                    throw new SwapException(SwapErrorKind.InvalidMigration, $"{source}({line}): DELIMITER needs a terminator, for example 'DELIMITER //'.");
                delimiter = arg;
                current.Clear();
                i = end;
                continue;
            }

            if (c == '\n')
            {
                line++;
                current.Append(c);
                i++;
                continue;
            }

            // Comments.
            if ((c == '-' && At(sql, i + 1) == '-') || (c == '#' && syntax.HashComments))
            {
                var end = sql.IndexOf('\n', i);
                if (end < 0)
                    end = sql.Length;
                if (startLine >= 0)
                    current.Append(sql, i, end - i);
                i = end;
                continue;
            }
            if (c == '/' && At(sql, i + 1) == '*')
            {
                // The server runs /*! … */ (and MariaDB's /*M! … */): at the start of a statement it is one.
                if (startLine < 0 && syntax.ExecutableComments && (At(sql, i + 2) == '!' || (At(sql, i + 2) == 'M' && At(sql, i + 3) == '!')))
                    startLine = line;
                var opened = line;
                var depth = 1;
                var j = i + 2;
                while (j < sql.Length && depth > 0)
                {
                    if (sql[j] == '\n')
                        line++;
                    if (sql[j] == '*' && At(sql, j + 1) == '/')
                    {
                        depth--;
                        j += 2;
                        continue;
                    }
                    if (syntax.NestedBlockComments && sql[j] == '/' && At(sql, j + 1) == '*')
                    {
                        depth++;
                        j += 2;
                        continue;
                    }
                    j++;
                }
                if (depth > 0)
                    throw Unclosed("a /* comment", opened);
                if (startLine >= 0)
                    current.Append(sql, i, j - i);
                i = j;
                continue;
            }

            // Statement terminator.
            if (blockDepth == 0 && string.CompareOrdinal(sql, i, delimiter, 0, delimiter.Length) == 0)
            {
                if (!(syntax.TriggerBodies && IsTriggerStart(words) && !sawBegin))
                {
                    Flush();
                    i += delimiter.Length;
                    continue;
                }
            }

            if (startLine < 0 && !char.IsWhiteSpace(c))
                startLine = line;

            // Quoted text.
            if (c == '\'' || c == '"' || (c == '`' && syntax.BacktickIdentifiers))
            {
                var opened = line;
                var j = i + 1;
                var closed = false;
                var backslashEscapes = c != '`' && (syntax.BackslashEscapes || (c == '\'' && syntax.EscapeStrings && IsEscapeStringPrefix(sql, i)));
                while (j < sql.Length)
                {
                    var d = sql[j];
                    if (d == '\n')
                        line++;
                    if (d == '\\' && backslashEscapes)
                    {
                        j += 2;
                        continue;
                    }
                    if (d == c)
                    {
                        if (At(sql, j + 1) == c)
                        {
                            j += 2;
                            continue;
                        }
                        closed = true;
                        j++;
                        break;
                    }
                    j++;
                }
                if (!closed)
                    throw Unclosed(c == '\'' ? "a string literal" : c == '"' ? "a double-quoted name" : "a backtick-quoted name", opened);
                current.Append(sql, i, j - i);
                i = j;
                continue;
            }

            // Dollar quotes: $$ ... $$ or $tag$ ... $tag$.
            if (c == '$' && syntax.DollarQuotes && (i == 0 || !IsWordChar(sql[i - 1])))
            {
                var tagEnd = i + 1;
                while (tagEnd < sql.Length && (char.IsLetter(sql[tagEnd]) || sql[tagEnd] == '_' || (tagEnd > i + 1 && char.IsDigit(sql[tagEnd]))))
                    tagEnd++;
                if (At(sql, tagEnd) == '$')
                {
                    var tag = sql[i..(tagEnd + 1)];
                    var close = sql.IndexOf(tag, tagEnd + 1, StringComparison.Ordinal);
                    if (close < 0)
                        throw Unclosed($"the dollar-quoted string {tag}", line);
                    var body = sql[i..(close + tag.Length)];
                    line += body.Count(ch => ch == '\n');
                    current.Append(body);
                    i = close + tag.Length;
                    continue;
                }
            }

            // Words: track the statement's leading keywords and BEGIN/CASE/END nesting for trigger bodies.
            if (IsWordChar(c))
            {
                var j = i;
                while (j < sql.Length && IsWordChar(sql[j]))
                    j++;
                var word = sql[i..j];
                if (blockDepth == 0 && word.Equals("GO", StringComparison.OrdinalIgnoreCase) && AtLineStart(sql, i) && IsBatchSeparatorRest(sql, j))
                    throw new SwapException(
                        SwapErrorKind.InvalidMigration,
                        $"{source}({line}): '{word}' alone on a line is SQL Server's batch separator (sqlcmd, SSMS, DbUp), not SQL: "
                        + "the engine would receive it as part of the statement. End each statement with ';' and delete the GO lines; nothing was run.");
                if (words.Count < 4)
                    words.Add(word.ToUpperInvariant());
                if (syntax.TriggerBodies && IsTriggerStart(words))
                {
                    if (word.Equals("BEGIN", StringComparison.OrdinalIgnoreCase) || word.Equals("CASE", StringComparison.OrdinalIgnoreCase))
                    {
                        blockDepth++;
                        sawBegin = true;
                    }
                    else if (word.Equals("END", StringComparison.OrdinalIgnoreCase) && blockDepth > 0)
                        blockDepth--;
                }
                if (syntax.AtomicBodies)
                {
                    // The body's statements end with ';' and the body with END (a CASE inside has its own END).
                    if (!inAtomic && word.Equals("ATOMIC", StringComparison.OrdinalIgnoreCase) && "BEGIN".Equals(previousWord, StringComparison.OrdinalIgnoreCase) && words.Count > 0 && words[0] == "CREATE")
                    {
                        inAtomic = true;
                        blockDepth++;
                    }
                    else if (inAtomic && word.Equals("CASE", StringComparison.OrdinalIgnoreCase))
                        blockDepth++;
                    else if (inAtomic && word.Equals("END", StringComparison.OrdinalIgnoreCase) && blockDepth > 0)
                        blockDepth--;
                }
                previousWord = word;
                current.Append(word);
                i = j;
                continue;
            }

            current.Append(c);
            i++;
        }
        Flush();
        return statements;
    }

    private static bool IsTriggerStart(List<string> words) =>
        words.Count >= 2 && words[0] == "CREATE" && (words[1] == "TRIGGER" || (words.Count >= 3 && words[1] is "TEMP" or "TEMPORARY" && words[2] == "TRIGGER"));

    private static char At(string s, int i) => i < s.Length ? s[i] : '\0';

    /// <summary>True for the quote of <c>E'…'</c>: an E that is a word of its own, not the end of a name.</summary>
    private static bool IsEscapeStringPrefix(string s, int quote) =>
        quote > 0 && s[quote - 1] is 'E' or 'e' && (quote < 2 || !IsWordChar(s[quote - 2]));

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static bool AtLineStart(string s, int i)
    {
        for (var j = i - 1; j >= 0 && s[j] != '\n'; j--)
        {
            if (!char.IsWhiteSpace(s[j]))
                return false;
        }
        return true;
    }

    /// <summary>
    /// True when what follows a <c>GO</c> up to the end of its line is what sqlcmd accepts after its
    /// batch separator: nothing, a repeat count, a <c>;</c> or a comment.
    /// </summary>
    private static bool IsBatchSeparatorRest(string s, int i)
    {
        var end = s.IndexOf('\n', i);
        var rest = s[i..(end < 0 ? s.Length : end)].Trim();
        var comment = rest.IndexOf("--", StringComparison.Ordinal);
        if (comment >= 0)
            rest = rest[..comment].TrimEnd();
        rest = rest.TrimEnd(';').TrimEnd();
        return rest.All(char.IsDigit);
    }

    private static bool StartsWithWord(string s, int i, string word) =>
        string.Compare(s, i, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0
        && (i + word.Length >= s.Length || char.IsWhiteSpace(s[i + word.Length]));
}
