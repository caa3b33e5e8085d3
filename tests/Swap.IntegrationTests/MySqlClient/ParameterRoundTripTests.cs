using System.Security.Cryptography;
using System.Text;
using Swap.MySql.Client;

namespace Swap.IntegrationTests.MySqlClient;

/// <summary>Values sent as parameters arrive byte-for-byte: checked with HEX()/LENGTH() on the server and by reading back.</summary>
public class ParameterRoundTripTests
{
    public static TheoryData<string> HostileStrings => new()
    {
        "it's",
        "O''Brien",
        "back\\slash",
        "trailing backslash\\",
        "\\'",
        "'; DROP TABLE victim; --",
        "\\'; DROP TABLE victim; -- ",
        "`; DROP TABLE victim; `",
        "\" OR \"\"=\"",
        "nul\0inside\0",
        "\0",
        "ctrl \u001a \r\n\t",
        "@p @@version ? :p",
        "/* comment */ -- x\n# y",
        "Grüße, Ζεύς, 日本語, עברית",
        "emoji 😀👍🏽 🇩🇪 and 𝄞",
        "",
    };

    [Theory]
    [MemberData(nameof(HostileStrings))]
    public void String_is_stored_exactly(string value)
    {
        using var connection = MySqlTestServer.Open();
        var table = MySqlTestServer.UniqueTable();
        connection.Execute($"CREATE TABLE victim_{table} (x INT)");
        connection.Execute($"CREATE TABLE {table} (id INT PRIMARY KEY, s LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin)");
        connection.Execute($"INSERT INTO {table} VALUES (1, @s)", ("s", value));

        var expected = Encoding.UTF8.GetBytes(value);
        Assert.Equal(Convert.ToHexString(expected), connection.Scalar($"SELECT HEX(s) FROM {table}"));
        Assert.Equal((long)expected.Length, Convert.ToInt64(connection.Scalar($"SELECT LENGTH(s) FROM {table}")));
        Assert.Equal(value, connection.Scalar($"SELECT s FROM {table}"));
        Assert.Equal(1L, Convert.ToInt64(connection.Scalar($"SELECT COUNT(*) FROM {table} WHERE s = @s", ("s", value))));
        Assert.Equal(0L, Convert.ToInt64(connection.Scalar($"SELECT COUNT(*) FROM victim_{table}"))); // still there
        connection.Execute($"DROP TABLE {table}, victim_{table}");
    }

    [Theory]
    [MemberData(nameof(HostileStrings))]
    public void String_survives_no_backslash_escapes_mode(string value)
    {
        using var connection = MySqlTestServer.Open();
        connection.Execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");
        Assert.Equal(Convert.ToHexString(Encoding.UTF8.GetBytes(value)), connection.Scalar("SELECT HEX(@s)", ("s", value)));
        Assert.Equal(value, connection.Scalar("SELECT @s", ("s", value)));
        Assert.Equal("a\\b", connection.Scalar("SELECT 'a\\b'")); // backslash is literal in this mode
    }

    [Fact]
    public void Binary_with_all_256_byte_values_is_stored_exactly()
    {
        using var connection = MySqlTestServer.Open();
        var table = MySqlTestServer.UniqueTable();
        var bytes = new byte[512];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)(i % 256);
        Array.Reverse(bytes, 256, 256);
        connection.Execute($"CREATE TABLE {table} (id INT PRIMARY KEY, b LONGBLOB, v VARBINARY(600))");
        connection.Execute($"INSERT INTO {table} VALUES (1, @b, @b)", ("b", bytes));

        Assert.Equal(Convert.ToHexString(bytes), connection.Scalar($"SELECT HEX(b) FROM {table}"));
        Assert.Equal(512L, Convert.ToInt64(connection.Scalar($"SELECT LENGTH(v) FROM {table}")));
        Assert.Equal(bytes, (byte[])connection.Scalar($"SELECT b FROM {table}")!);
        Assert.Equal(bytes, (byte[])connection.Scalar($"SELECT v FROM {table}")!);
        Assert.Equal(new byte[0], (byte[])connection.Scalar("SELECT @e", ("e", Array.Empty<byte>()))!);
        connection.Execute($"DROP TABLE {table}");
    }

    [Fact]
    public void Sixteen_megabyte_string_round_trips()
    {
        // 16,000,000 characters with a quote and a backslash every 1000: ~16 MB of escaped text,
        // within the server's max_allowed_packet of 16 MiB.
        var text = new StringBuilder(16_000_000);
        var random = new Random(42);
        while (text.Length < 16_000_000)
        {
            for (var i = 0; i < 997; i++) text.Append((char)random.Next('a', 'z' + 1));
            text.Append("'\\\"");
        }
        var value = text.ToString(0, 16_000_000);
        var expected = Encoding.UTF8.GetBytes(value);

        using var connection = MySqlTestServer.Open();
        var table = MySqlTestServer.UniqueTable();
        connection.Execute($"CREATE TABLE {table} (id INT PRIMARY KEY, s LONGTEXT)");
        connection.Execute($"INSERT INTO {table} VALUES (1, @s)", ("s", value));
        Assert.Equal(16_000_000L, Convert.ToInt64(connection.Scalar($"SELECT LENGTH(s) FROM {table}")));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(expected)), ((string)connection.Scalar($"SELECT SHA2(s, 256) FROM {table}")!).ToUpperInvariant());
        Assert.Equal(value, connection.Scalar($"SELECT s FROM {table}"));
        connection.Execute($"DROP TABLE {table}");
    }

    [Fact]
    public void Placeholders_inside_literals_comments_and_identifiers_are_not_replaced()
    {
        using var connection = MySqlTestServer.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT '@p' AS a, "@p" AS b, `@p`.c AS c, 'it''s @p' AS d, 'x\'@p' AS e, @p AS f /* @p */ -- @p
            # @p
            FROM (SELECT 1 AS c) AS `@p`
            """;
        command.Parameters.AddWithValue("@p", "VALUE");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(["@p", "@p", "1", "it's @p", "x'@p", "VALUE"],
            Enumerable.Range(0, 6).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Undefined_parameter_is_an_error_unless_user_variables_are_allowed()
    {
        using (var connection = MySqlTestServer.Open())
        {
            var ex = Assert.Throws<MySqlException>(() => connection.Scalar("SELECT @missing"));
            Assert.Contains("@missing", ex.Message, StringComparison.Ordinal);
            Assert.Equal(5L, Convert.ToInt64(connection.Scalar("SELECT 5"))); // connection unaffected
        }
        var builder = MySqlTestServer.Builder();
        builder.AllowUserVariables = true;
        using var allowed = new MySqlConnection(builder.ConnectionString);
        allowed.Open();
        Assert.Equal(7L, Convert.ToInt64(allowed.Scalar("SET @v := @p; SELECT @v + 0", ("p", 7))));
        Assert.Equal("10.11", ((string)allowed.Scalar("SELECT @@version")!)[..5]);
    }

    [Fact]
    public void Parameter_names_match_with_or_without_prefix_and_ignoring_case()
    {
        using var connection = MySqlTestServer.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT CONCAT(@First, @SECOND, @third)";
        command.Parameters.AddWithValue("@first", "a");
        command.Parameters.AddWithValue("second", "b");
        command.Parameters.AddWithValue("?Third", "c");
        Assert.Equal("abc", command.ExecuteScalar());
    }

    [Fact]
    public void Unsendable_values_are_refused_before_reaching_the_server()
    {
        using var connection = MySqlTestServer.Open();
        Assert.Equal(MySqlErrorCodes.ParameterValueInvalid, Assert.Throws<MySqlException>(() => connection.Scalar("SELECT @d", ("d", double.NaN))).Number);
        Assert.Equal(MySqlErrorCodes.ParameterValueInvalid, Assert.Throws<MySqlException>(() => connection.Scalar("SELECT @s", ("s", "bad \ud800 surrogate"))).Number);
        Assert.Equal(MySqlErrorCodes.ParameterValueInvalid, Assert.Throws<MySqlException>(() => connection.Scalar("SELECT @o", ("o", new object()))).Number);
        Assert.Equal(1L, Convert.ToInt64(connection.Scalar("SELECT 1")));
    }
}
