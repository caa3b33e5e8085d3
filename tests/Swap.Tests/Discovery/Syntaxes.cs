using Swap.Dialects;
using Swap.PostgreSql;
using Swap.Sqlite;

namespace Swap.Tests.Discovery;

/// <summary>The lexical rules of each engine, as the splitter sees them.</summary>
internal static class Syntaxes
{
    public static SqlSyntax Sqlite => SqliteDialect.Instance.Syntax;

    public static SqlSyntax Postgres => PostgresDialect.Instance.Syntax;

    /// <summary>The mysql client's rules; the MySQL dialect will expose the same record.</summary>
    public static SqlSyntax MySql { get; } = new(
        BackslashEscapes: true,
        HashComments: true,
        DollarQuotes: false,
        BacktickIdentifiers: true,
        DelimiterCommand: true,
        TriggerBodies: false,
        NestedBlockComments: false);
}
