using Swap.Dialects;
using Swap.MySql;
using Swap.PostgreSql;
using Swap.Sqlite;

namespace Swap.Tests.Discovery;

/// <summary>The lexical rules of each engine, as the splitter sees them.</summary>
internal static class Syntaxes
{
    public static SqlSyntax Sqlite => SqliteDialect.Instance.Syntax;

    public static SqlSyntax Postgres => PostgresDialect.Instance.Syntax;

    public static SqlSyntax MySql => MySqlDialect.Instance.Syntax;
}
