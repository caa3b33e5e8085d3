using Swap.Dialects;
using Swap.PostgreSql;

namespace Swap.Tests.PostgreSql;

/// <summary>
/// PostgreSQL's limit on names is 63 bytes, not characters, and the names it gives constraints
/// itself shorten the longer part first. The expected names are what PostgreSQL 15 gave these
/// tables (<c>CREATE TABLE ... (id int PRIMARY KEY, c text CHECK (...))</c>, then <c>pg_constraint</c>).
/// </summary>
public class PostgresNamesTests
{
    [Theory]
    [InlineData("a_very_long_table_name_that_goes_on_and_on_for_many_chars_xx", null, "pkey", "a_very_long_table_name_that_goes_on_and_on_for_many_chars__pkey")]
    [InlineData("a_very_long_table_name_that_goes_on_and_on_for_many_chars_xx", "status_column_with_long_name", "check", "a_very_long_table_name_that__status_column_with_long_name_check")]
    [InlineData("tablé_ünïcödé_ñame_with_many_äccents_to_make_bytes_grow_", null, "pkey", "tablé_ünïcödé_ñame_with_many_äccents_to_make_bytes__pkey")]
    [InlineData("tablé_ünïcödé_ñame_with_many_äccents_to_make_bytes_grow_", "çolumn", "check", "tablé_ünïcödé_ñame_with_many_äccents_to_ma_çolumn_check")]
    [InlineData("users", "status", "check", "users_status_check")]
    [InlineData("users", null, "pkey", "users_pkey")]
    public void Constraint_names_are_made_as_postgresql_makes_them(string table, string? column, string label, string expected) =>
        Assert.Equal(expected, PostgresDialect.DefaultName(table, column, label));

    [Fact]
    public void A_name_over_63_bytes_is_refused_even_when_it_is_63_characters()
    {
        var name = new string('é', 40);
        var refused = Assert.Throws<SwapException>(() => Identifiers.Validate(name, "column", PostgresDialect.Instance));
        Assert.Equal(SwapErrorKind.Refused, refused.Kind);
        Assert.Contains("is 80 bytes long in UTF-8 (40 characters); the engine keeps at most 63 bytes and would cut it", refused.Message, StringComparison.Ordinal);
        // MySQL counts characters: the same name is fine there.
        Assert.Equal(name, Identifiers.Validate(name, "column", Swap.MySql.MySqlDialect.Instance));
    }
}
