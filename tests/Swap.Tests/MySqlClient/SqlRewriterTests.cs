using System.Text;
using Swap.MySql.Client;
using Swap.MySql.Client.Internal.Sql;

namespace Swap.Tests.MySqlClient;

public class SqlRewriterTests
{
    /// <summary>Mirrors mysql_real_escape_string for utf8mb4 so the lexer can be tested without a server.</summary>
    private sealed class FakeEscaper(bool noBackslashEscapes = false) : IStringEscaper
    {
        public bool NoBackslashEscapes => noBackslashEscapes;

        public int Escape(ReadOnlySpan<byte> source, Span<byte> destination)
        {
            var n = 0;
            foreach (var b in source)
            {
                if (noBackslashEscapes)
                {
                    if (b == '\'') destination[n++] = (byte)'\'';
                    destination[n++] = b;
                    continue;
                }
                var escaped = b switch { 0 => (byte)'0', (byte)'\n' => (byte)'n', (byte)'\r' => (byte)'r', (byte)'\\' => (byte)'\\', (byte)'\'' => (byte)'\'', (byte)'"' => (byte)'"', 0x1a => (byte)'Z', _ => (byte)0 };
                if (escaped != 0) { destination[n++] = (byte)'\\'; destination[n++] = escaped; }
                else destination[n++] = b;
            }
            return n;
        }
    }

    private static string Rewrite(string sql, object? value, bool noBackslashEscapes = false, bool allowUserVariables = false)
    {
        var parameters = new MySqlParameterCollection { new MySqlParameter("@p", value) };
        using var buffer = SqlRewriter.Build(sql, parameters.CreateLookup(), new FakeEscaper(noBackslashEscapes), allowUserVariables);
        return Encoding.UTF8.GetString(buffer.Written);
    }

    [Theory]
    [InlineData("SELECT @p", "SELECT 'v'")]
    [InlineData("SELECT '@p', @p", "SELECT '@p', 'v'")]
    [InlineData("SELECT \"@p\" = @p", "SELECT \"@p\" = 'v'")]
    [InlineData("SELECT `@p` FROM t AS `x``@p`", "SELECT `@p` FROM t AS `x``@p`")]
    [InlineData("SELECT 'it''s @p', @p", "SELECT 'it''s @p', 'v'")]
    [InlineData("SELECT 'a\\'@p', @p", "SELECT 'a\\'@p', 'v'")]
    [InlineData("SELECT 1 -- @p\n, @p", "SELECT 1 -- @p\n, 'v'")]
    [InlineData("SELECT 1 # @p\n, @p", "SELECT 1 # @p\n, 'v'")]
    [InlineData("SELECT 1 /* @p */, @p", "SELECT 1 /* @p */, 'v'")]
    [InlineData("SELECT 3--@p", "SELECT 3--'v'")]
    [InlineData("SELECT @@version, @@session.sql_mode, @p", "SELECT @@version, @@session.sql_mode, 'v'")]
    [InlineData("SELECT @p1", null)]
    public void Only_parameter_tokens_outside_literals_and_comments_are_replaced(string sql, string? expected)
    {
        if (expected is null)
        {
            Assert.Throws<MySqlException>(() => Rewrite(sql, "v"));
            return;
        }
        Assert.Equal(expected, Rewrite(sql, "v"));
    }

    [Fact]
    public void Backslash_is_literal_under_no_backslash_escapes()
    {
        // With NO_BACKSLASH_ESCAPES the literal 'a\' ends at the second quote, so @p after it is a parameter.
        Assert.Equal("SELECT 'a\\', 'it''s'", Rewrite("SELECT 'a\\', @p", "it's", noBackslashEscapes: true));
        // With backslash escapes the same text is one unterminated literal, so nothing is replaced.
        Assert.Equal("SELECT 'a\\', @p", Rewrite("SELECT 'a\\', @p", "it's"));
    }

    [Fact]
    public void Invalid_utf16_in_command_text_is_a_provider_error() =>
        Assert.Equal(MySqlErrorCodes.ParameterValueInvalid, Assert.Throws<MySqlException>(() => Rewrite("SELECT '\ud800', @p", 1)).Number);

    [Fact]
    public void User_variables_pass_through_when_allowed()
    {
        Assert.Equal("SET @x := 'v'; SELECT @x", Rewrite("SET @x := @p; SELECT @x", "v", allowUserVariables: true));
        Assert.Equal("SELECT 'v'@'h'", Rewrite("SELECT @p@'h'", "v"));
    }

    public static TheoryData<object?, string> Literals => new()
    {
        { null, "NULL" },
        { DBNull.Value, "NULL" },
        { true, "1" },
        { (sbyte)-5, "-5" },
        { ulong.MaxValue, "18446744073709551615" },
        { long.MinValue, "-9223372036854775808" },
        { -1.5m, "-1.5" },
        { 0.1, "0.1" },
        { 1e300, "1E+300" },
        { 2.5f, "2.5" },
        { new byte[] { 0, 0xAB, 0xFF }, "X'00ABFF'" },
        { Array.Empty<byte>(), "X''" },
        { new DateTime(2024, 1, 2, 3, 4, 5, 678), "'2024-01-02 03:04:05.678000'" },
        { new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)), "'2024-01-02 08:04:05.000000'" },
        { new DateOnly(2024, 2, 29), "'2024-02-29'" },
        { new TimeOnly(23, 59, 59), "'23:59:59.000000'" },
        { new TimeSpan(-1, -2, -3, -4), "'-26:03:04.000000'" },
        { Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), "'0f8fad5b-d9cb-469f-a165-70867728950e'" },
        { DayOfWeek.Friday, "5" },
        { 'q', "'q'" },
        { "a'b\\c\0d", "'a\\'b\\\\c\\0d'" },
    };

    [Theory]
    [MemberData(nameof(Literals))]
    public void Values_become_safe_literals(object? value, string literal) =>
        Assert.Equal("SELECT " + literal, Rewrite("SELECT @p", value));
}
