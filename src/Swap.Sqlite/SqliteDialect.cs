using Swap.Dialects;

namespace Swap.Sqlite;

/// <summary>SQL text for SQLite.</summary>
internal sealed partial class SqliteDialect : SqlDialect
{
    public static SqliteDialect Instance { get; } = new();

    public override DatabaseEngine Engine => DatabaseEngine.Sqlite;

    public override int MaxIdentifierLength => 1024;

    public override SqlSyntax Syntax { get; } = new(
        BackslashEscapes: false,
        HashComments: false,
        DollarQuotes: false,
        BacktickIdentifiers: true,
        DelimiterCommand: false,
        TriggerBodies: true,
        NestedBlockComments: false);

    public override string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public override bool CanShareTransaction(string sql) => FirstKeyword(sql) != "VACUUM";

    protected override string TextType => "TEXT";

    protected override string TimestampType => "TEXT";

    public override string CreateHistoryTable(string table) => $"CREATE TABLE IF NOT EXISTS {Quote(table)} (\n{HistoryColumns()}\n)";

    public override string CreateJournalTable(string table) => $"CREATE TABLE IF NOT EXISTS {Quote(table)} (\n{JournalColumns()}\n)";

    public override string TableOfIndexQuery => "SELECT tbl_name AS table_name FROM sqlite_master WHERE type = 'index' AND name = @name";

    public override string CreateLockInfoTable(string table) => $"CREATE TABLE IF NOT EXISTS {Quote(table)} (\n{LockInfoColumns()}\n)";
}
