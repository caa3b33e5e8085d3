using Swap.Engine.Schema;
using Swap.MySql;

namespace Swap.Tests.MySql;

/// <summary>
/// A key moved to another character set or collation is looked up in the original through the
/// original's own index: the copy's value is converted, never the original's column (which would
/// make MySQL scan the whole original for every row checked).
/// </summary>
public class MySqlKeyLookupTests
{
    private static readonly Swap.Engine.TableEngine Engine = new MySqlDatabase(DatabaseUrl.Parse("mysql://swap@localhost:3306/app")).TableEngine;

    [Fact]
    public void The_copys_key_is_converted_to_the_originals_character_set_and_collation()
    {
        var original = new ColumnSchema("k", "varchar(30)", false, Collation: "latin1_swedish_ci");
        var copy = new ColumnSchema("k", "varchar(30)", false, Collation: "utf8mb4_unicode_ci");

        Assert.Equal("CONVERT(c.`k` USING latin1) COLLATE latin1_swedish_ci", Engine.CopyKeyAsOriginal("c.`k`", original, copy));
    }

    [Theory]
    [InlineData("utf8mb4_unicode_ci", "utf8mb4_unicode_ci")]
    [InlineData(null, "utf8mb4_unicode_ci")]
    [InlineData("utf8mb4_unicode_ci", null)]
    public void A_key_that_kept_its_collation_or_has_none_is_compared_as_it_is(string? from, string? to)
    {
        var original = new ColumnSchema("k", "varchar(30)", false, Collation: from);
        var copy = new ColumnSchema("k", "varchar(30)", false, Collation: to);

        Assert.Equal("c.`k`", Engine.CopyKeyAsOriginal("c.`k`", original, copy));
    }
}
