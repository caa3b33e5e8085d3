using Swap.Engine;
using Swap.Engine.Schema;
using Swap.Sqlite;

namespace Swap.Tests.Sqlite;

/// <summary>
/// A key moved to another collation (a TEXT key made COLLATE NOCASE, or back to BINARY) is looked
/// up in the original through the original's own index: SQLite compares <c>c.k = o.k</c> in the
/// left operand's collation, the copy's, which the original's index does not have, and then scans
/// the whole original for every row of the copy checked (25,000 rows took 28 s).
/// </summary>
public class SqliteKeyLookupTests
{
    private static readonly SqliteTableEngine Engine = new(new SqliteDatabase(":memory:"));

    /// <summary>A TEXT column as SQLite's loader reads it: the declared type and the clauses after it.</summary>
    private static ColumnSchema Column(string type, string rest) =>
        new("k", "TEXT", false) { Extra = new Dictionary<string, string> { ["ddl.type"] = type, ["ddl.rest"] = rest } };

    [Theory]
    [InlineData("TEXT", "NOT NULL PRIMARY KEY", "TEXT COLLATE NOCASE", "NOT NULL PRIMARY KEY", "c.\"k\" COLLATE \"BINARY\"")]
    [InlineData("TEXT", "NOT NULL COLLATE NOCASE PRIMARY KEY", "TEXT COLLATE BINARY", "NOT NULL PRIMARY KEY", "c.\"k\" COLLATE \"NOCASE\"")]
    [InlineData("TEXT", "NOT NULL COLLATE \"rtrim\" PRIMARY KEY", "TEXT", "NOT NULL PRIMARY KEY", "c.\"k\" COLLATE \"rtrim\"")]
    public void The_copys_key_is_compared_in_the_originals_collation(string fromType, string fromRest, string toType, string toRest, string expected)
    {
        Assert.Equal(expected, Engine.CopyKeyAsOriginal("c.\"k\"", Column(fromType, fromRest), Column(toType, toRest)));
    }

    [Theory]
    [InlineData("TEXT", "NOT NULL PRIMARY KEY", "TEXT", "NOT NULL PRIMARY KEY")]
    [InlineData("TEXT", "NOT NULL PRIMARY KEY", "TEXT COLLATE BINARY", "NOT NULL PRIMARY KEY")]
    [InlineData("TEXT", "COLLATE NOCASE NOT NULL", "TEXT", "NOT NULL COLLATE nocase")]
    // A COLLATE inside a CHECK is the expression's, not the column's.
    [InlineData("TEXT", "NOT NULL CHECK (k = lower(k) COLLATE NOCASE)", "TEXT", "NOT NULL")]
    public void A_key_that_kept_its_collation_is_compared_as_it_is(string fromType, string fromRest, string toType, string toRest)
    {
        Assert.Equal("c.\"k\"", Engine.CopyKeyAsOriginal("c.\"k\"", Column(fromType, fromRest), Column(toType, toRest)));
    }

    [Fact]
    public void The_verifiers_lookup_of_a_copy_row_in_the_original_names_the_originals_collation()
    {
        var original = new TableSchema { Name = "names", Columns = [Column("TEXT", "NOT NULL PRIMARY KEY"), new ColumnSchema("n", "INT", true)], PrimaryKey = ["k"] };
        var names = SwapNames.For("names", SqliteDialect.Instance.MaxIdentifierLength);
        var spec = new SwapSpec
        {
            Original = original,
            Copy = original with { Name = names.Copy, Columns = [Column("TEXT COLLATE NOCASE", "NOT NULL PRIMARY KEY"), new ColumnSchema("n", "INT", true)] },
            Names = names,
            Key = ["k"],
            CopyKey = ["k"],
            Mapping = [new ColumnMapping("k", "\"k\"", "TEXT"), new ColumnMapping("n", "\"n\"", "INT")],
            Captured = true,
        };

        var extra = SwapQueries.Extra(Engine, spec, hasLower: true, hasUpper: true);

        Assert.Contains("NOT EXISTS (SELECT 1 FROM \"names\" o WHERE c.\"k\" COLLATE \"BINARY\" = o.\"k\")", extra, StringComparison.Ordinal);
        Assert.Contains("l.\"k0\" = c.\"k\" COLLATE \"BINARY\"", extra, StringComparison.Ordinal);
    }

    [Fact]
    public void The_change_log_keeps_the_originals_key_collation()
    {
        var original = new TableSchema { Name = "names", Columns = [Column("TEXT", "NOT NULL COLLATE NOCASE PRIMARY KEY")], PrimaryKey = ["k"] };
        var names = SwapNames.For("names", SqliteDialect.Instance.MaxIdentifierLength);
        var spec = new SwapSpec { Original = original, Copy = original with { Name = names.Copy }, Names = names, Key = ["k"], CopyKey = ["k"], Mapping = [new ColumnMapping("k", "\"k\"", "TEXT")], Captured = true };

        Assert.Contains(Engine.InstallCapture(spec), s => s.StartsWith("CREATE TABLE", StringComparison.Ordinal) && s.Contains("\"k0\" TEXT COLLATE \"NOCASE\"", StringComparison.Ordinal));
    }
}
