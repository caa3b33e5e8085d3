using Swap.MySql;

namespace Swap.Tests.MySql;

/// <summary>The pure parts of MariaDB's instant type changes: reading an ENUM's values and a character set's width.</summary>
public class MySqlInstantTypeTests
{
    [Fact]
    public void Enum_values_are_read_with_their_doubled_quotes_undone()
    {
        Assert.Equal(["new", "it's done", "a,b", ""], MySqlDialect.EnumValues("enum('new','it''s done','a,b','')"));
    }

    [Theory]
    [InlineData("varchar(20)")]
    [InlineData("set('a','b')")]
    [InlineData("enum('a'")]
    [InlineData("enum(a)")]
    public void Anything_else_is_not_an_enum(string nativeType) => Assert.Null(MySqlDialect.EnumValues(nativeType));

    [Theory]
    [InlineData("utf8mb4_unicode_ci", 4)]
    [InlineData("utf8mb3_general_ci", 3)]
    [InlineData("utf8_bin", 3)]
    [InlineData("latin1_swedish_ci", 1)]
    [InlineData("ucs2_general_ci", 2)]
    public void A_collation_names_how_wide_its_characters_can_be(string collation, int bytes) =>
        Assert.Equal(bytes, MySqlDialect.CharsetMaxBytes(collation));

    [Theory]
    [InlineData(null)]
    [InlineData("klingon_ci")]
    public void An_unknown_character_set_has_no_width_so_the_change_is_copied(string? collation) =>
        Assert.Null(MySqlDialect.CharsetMaxBytes(collation));
}
