using System.Text.RegularExpressions;
using Swap.Dialects;

namespace Swap.PostgreSql;

/// <summary>SQL text for PostgreSQL.</summary>
internal sealed partial class PostgresDialect : SqlDialect
{
    public static PostgresDialect Instance { get; } = new();

    public override DatabaseEngine Engine => DatabaseEngine.PostgreSql;

    public override int MaxIdentifierLength => 63;

    public override bool IdentifierLengthInBytes => true;

    public override SqlSyntax Syntax { get; } = new(
        BackslashEscapes: false,
        HashComments: false,
        DollarQuotes: true,
        BacktickIdentifiers: false,
        DelimiterCommand: false,
        TriggerBodies: false,
        NestedBlockComments: true,
        EscapeStrings: true,
        AtomicBodies: true);

    public override string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"\bCONCURRENTLY\b|^\s*(VACUUM|CREATE\s+DATABASE|DROP\s+DATABASE|ALTER\s+SYSTEM|CREATE\s+TABLESPACE|DROP\s+TABLESPACE)\b", RegexOptions.IgnoreCase)]
    private static partial Regex OutsideTransaction();

    /// <summary>False for statements PostgreSQL refuses to run inside a transaction block.</summary>
    /// <summary>Npgsql's SQL rewriting splits text at semicolons, also inside a <c>BEGIN ATOMIC</c> body; a one-command batch is sent as it is.</summary>
    internal override bool SendsOneStatementAsBatch => true;

    public override bool CanShareTransaction(string sql) => !OutsideTransaction().IsMatch(sql);

    protected override string TextType => "TEXT";

    protected override string TimestampType => "TIMESTAMP(6) WITH TIME ZONE";

    public override string? ServerLoadQuery => "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()";

    public override string ServerLoadName => "active backends";

    public override string CreateHistoryTable(string table) => $"CREATE TABLE IF NOT EXISTS {Quote(table)} (\n{HistoryColumns()}\n)";

    public override string CreateJournalTable(string table) => $"CREATE TABLE IF NOT EXISTS {Quote(table)} (\n{JournalColumns()}\n)";

    public override string TableOfIndexQuery => "SELECT tablename AS table_name FROM pg_indexes WHERE schemaname = current_schema() AND indexname = @name";

    public override string CreateLockInfoTable(string table) => $"CREATE TABLE IF NOT EXISTS {Quote(table)} (\n{LockInfoColumns()}\n)";
}
