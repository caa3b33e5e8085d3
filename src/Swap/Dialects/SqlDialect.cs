
namespace Swap.Dialects;

/// <summary>
/// The pure half of a dialect: it only returns SQL text and never touches a connection, so every
/// dialect passes one shared set of generation tests. The I/O half is <see cref="SwapDatabase"/>.
/// </summary>
internal abstract partial class SqlDialect
{
    public abstract DatabaseEngine Engine { get; }

    /// <summary>The longest identifier the engine keeps without truncating.</summary>
    public abstract int MaxIdentifierLength { get; }

    /// <summary>True when <see cref="MaxIdentifierLength"/> counts UTF-8 bytes (PostgreSQL's NAMEDATALEN), false when characters (MySQL).</summary>
    public virtual bool IdentifierLengthInBytes => false;

    /// <summary>How the statement splitter reads this dialect's scripts.</summary>
    public abstract SqlSyntax Syntax { get; }

    /// <summary>Quotes one identifier; embedded quote characters are doubled.</summary>
    public abstract string Quote(string identifier);

    /// <summary>Quotes each part and joins them with dots.</summary>
    public string QuoteQualified(params string[] parts) => string.Join('.', parts.Select(Quote));

    /// <summary>A string literal for text that Swap itself produced (names, never user values).</summary>
    public virtual string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// True when the statement can run inside a transaction together with its journal row, so it
    /// happens exactly once. False for MySQL DDL (it commits implicitly) and for PostgreSQL
    /// statements such as <c>CREATE INDEX CONCURRENTLY</c>.
    /// </summary>
    public abstract bool CanShareTransaction(string sql);

    /// <summary>
    /// True when the driver would split a statement's text at semicolons of its own (Npgsql's SQL
    /// rewriting cuts a <c>BEGIN ATOMIC</c> body apart): a single statement is then sent as a
    /// one-command batch, which the driver sends as it is.
    /// </summary>
    internal virtual bool SendsOneStatementAsBatch => false;

    /// <summary>The first keyword of a statement, upper-case, skipping comments and parentheses.</summary>
    public static string FirstKeyword(string sql) => FirstKeywords(sql, 1).FirstOrDefault() ?? "";

    /// <summary>The first <paramref name="count"/> keywords of a statement, upper-case, skipping comments.</summary>
    public static IReadOnlyList<string> FirstKeywords(string sql, int count)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var words = new List<string>(count);
        var i = 0;
        while (i < sql.Length && words.Count < count)
        {
            var c = sql[i];
            if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var nl = sql.IndexOf('\n', i);
                i = nl < 0 ? sql.Length : nl + 1;
                continue;
            }
            if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
                continue;
            }
            if (char.IsLetter(c))
            {
                var j = i;
                while (j < sql.Length && (char.IsLetterOrDigit(sql[j]) || sql[j] == '_'))
                    j++;
                words.Add(sql[i..j].ToUpperInvariant());
                i = j;
                continue;
            }
            if (!char.IsWhiteSpace(c) && c != '(')
                break;
            i++;
        }
        return words;
    }

    /// <summary>DDL for the history table (created on first use).</summary>
    public abstract string CreateHistoryTable(string table);

    /// <summary>DDL for the step journal of interrupted scripts.</summary>
    public abstract string CreateJournalTable(string table);

    /// <summary>DDL for the table that says who holds the run lock, since when.</summary>
    public abstract string CreateLockInfoTable(string table);

    /// <summary>A query with parameter <c>@name</c> returning column <c>table_name</c>: the tables of the target that have an index of that name.</summary>
    public abstract string TableOfIndexQuery { get; }

    /// <summary>A type for long text in the runner's own tables.</summary>
    protected abstract string TextType { get; }

    /// <summary>A UTC timestamp type with microseconds for the runner's own tables.</summary>
    protected abstract string TimestampType { get; }

    /// <summary>The history columns, shared by all dialects; only the types differ.</summary>
    protected string HistoryColumns() => $"""
          script_id VARCHAR(255) NOT NULL PRIMARY KEY,
          module VARCHAR(255) NOT NULL,
          group_name VARCHAR(255) NULL,
          kind VARCHAR(8) NOT NULL,
          checksum VARCHAR(64) NOT NULL,
          batch INTEGER NOT NULL,
          apply_order BIGINT NOT NULL,
          status VARCHAR(16) NOT NULL,
          started_at {TimestampType} NOT NULL,
          finished_at {TimestampType} NULL,
          duration_ms BIGINT NULL,
          error_text {TextType} NULL,
          applied_by VARCHAR(255) NOT NULL
        """;

    protected string JournalColumns() => $"""
          script_id VARCHAR(255) NOT NULL,
          seq INTEGER NOT NULL,
          op VARCHAR(32) NOT NULL,
          fingerprint VARCHAR(64) NOT NULL,
          state VARCHAR(32) NOT NULL,
          data {TextType} NULL,
          updated_at {TimestampType} NOT NULL,
          PRIMARY KEY (script_id, seq)
        """;

    protected string LockInfoColumns() => $"""
          lock_name VARCHAR(64) NOT NULL PRIMARY KEY,
          holder VARCHAR(255) NOT NULL,
          since {TimestampType} NOT NULL
        """;
}
