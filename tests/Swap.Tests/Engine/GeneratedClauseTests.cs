using Swap.Sqlite.Internal;

namespace Swap.Tests.Engine;

/// <summary>SQLite keeps a column's clauses as text: a changed generated expression replaces exactly the old clause.</summary>
public class GeneratedClauseTests
{
    [Theory]
    [InlineData("GENERATED ALWAYS AS (k * 2) STORED", "")]
    [InlineData("NOT NULL GENERATED ALWAYS AS ((k + 1) * (2)) VIRTUAL", "NOT NULL")]
    [InlineData("AS (length(v) || ')') CHECK (x > 0)", "CHECK (x > 0)")]
    [InlineData("as (coalesce(v, 'a)b')) stored COLLATE NOCASE", "COLLATE NOCASE")]
    [InlineData("NOT NULL DEFAULT 3", "NOT NULL DEFAULT 3")]
    public void The_generated_clause_is_removed_and_everything_else_kept(string rest, string expected) =>
        Assert.Equal(expected, SqliteCopyBuilder.WithoutGenerated(rest));
}
