using System.Text;
using Swap.MySql.Client;

namespace Swap.IntegrationTests.MySqlClient;

public class ReaderTypeTests
{
    private enum Size { Small = 1, Large = 2 }

    private static string CreateAllTypes(MySqlConnection connection)
    {
        var table = MySqlTestServer.UniqueTable();
        connection.Execute($"""
            CREATE TABLE {table} (
              id INT PRIMARY KEY, b1 TINYINT(1), i8 TINYINT, u8 TINYINT UNSIGNED, i16 SMALLINT, u16 SMALLINT UNSIGNED,
              i24 MEDIUMINT, i32 INT, u32 INT UNSIGNED, i64 BIGINT, u64 BIGINT UNSIGNED, dm DECIMAL(20,6), f FLOAT, d DOUBLE,
              bit1 BIT(1), bit64 BIT(64), dt DATE, dtm DATETIME(6), ts TIMESTAMP(6) NULL, tm TIME(6), tm_big TIME, yr YEAR,
              c CHAR(3), vc VARCHAR(20), tx TEXT, bl BLOB, bn BINARY(16), vb VARBINARY(10), js JSON, en ENUM('small','large'),
              st SET('a','b','c'), nul INT NULL)
            """);
        connection.Execute($$"""
            INSERT INTO {{table}} VALUES (1, 1, -128, 255, -32768, 65535, -8388608, -2147483648, 4294967295,
              -9223372036854775808, 18446744073709551615, -12345678901234.567891, 3.25, -2.5e-300,
              b'1', b'1000000000000000000000000000000000000000000000000000000000000001', '2024-02-29',
              '2024-02-29 23:59:59.999999', '2038-01-19 03:14:07.123456', '-12:34:56.789012', '838:59:59', 2155,
              'abc', 'Grüße 😀', 'text ''quoted''', X'00FF10', X'000102030405060708090A0B0C0D0E0F', X'CAFE',
              '{"a": [1, 2]}', 'large', 'a,c', NULL)
            """);
        return table;
    }

    [Fact]
    public void Typed_getters_and_field_types_cover_common_mysql_types()
    {
        using var connection = MySqlTestServer.Open();
        var table = CreateAllTypes(connection);
        using var reader = connection.CreateCommand().Also($"SELECT * FROM {table}").ExecuteReader();
        Assert.True(reader.HasRows);
        Assert.Equal(32, reader.FieldCount);
        Assert.True(reader.Read());

        int O(string name) => reader.GetOrdinal(name);
        Assert.Equal(typeof(bool), reader.GetFieldType(O("b1")));
        Assert.True(reader.GetBoolean(O("b1")));
        Assert.Equal((sbyte)-128, reader.GetSByte(O("i8")));
        Assert.Equal((byte)255, reader.GetByte(O("u8")));
        Assert.Equal(typeof(byte), reader.GetFieldType(O("u8")));
        Assert.Equal((short)-32768, reader.GetInt16(O("i16")));
        Assert.Equal((ushort)65535, reader.GetUInt16(O("u16")));
        Assert.Equal(-8388608, reader.GetInt32(O("i24")));
        Assert.Equal(int.MinValue, reader.GetInt32(O("i32")));
        Assert.Equal(uint.MaxValue, reader.GetUInt32(O("u32")));
        Assert.Equal(long.MinValue, reader.GetInt64(O("i64")));
        Assert.Equal(ulong.MaxValue, reader.GetUInt64(O("u64")));
        Assert.Equal(typeof(ulong), reader.GetFieldType(O("u64")));
        Assert.Equal("BIGINT UNSIGNED", reader.GetDataTypeName(O("u64")));
        Assert.Throws<OverflowException>(() => reader.GetInt64(O("u64")));
        Assert.Equal(-12345678901234.567891m, reader.GetDecimal(O("dm")));
        Assert.Equal(3.25f, reader.GetFloat(O("f")));
        Assert.Equal(-2.5e-300, reader.GetDouble(O("d")));
        Assert.Equal(1UL, reader.GetUInt64(O("bit1")));
        Assert.True(reader.GetBoolean(O("bit1")));
        Assert.Equal(0x8000000000000001UL, reader.GetValue(O("bit64")));
        Assert.Equal(new DateTime(2024, 2, 29), reader.GetDateTime(O("dt")));
        Assert.Equal(new DateOnly(2024, 2, 29), reader.GetFieldValue<DateOnly>(O("dt")));
        Assert.Equal(new DateTime(2024, 2, 29, 23, 59, 59).AddTicks(9999990), reader.GetDateTime(O("dtm")));
        Assert.Equal(new DateTime(2038, 1, 19, 3, 14, 7).AddTicks(1234560), reader.GetValue(O("ts")));
        Assert.Equal(-(new TimeSpan(0, 12, 34, 56) + TimeSpan.FromTicks(7890120)), reader.GetTimeSpan(O("tm")));
        Assert.Equal(new TimeSpan(838, 59, 59), reader.GetValue(O("tm_big")));
        Assert.Equal(typeof(TimeSpan), reader.GetFieldType(O("tm")));
        Assert.Equal(2155, reader.GetValue(O("yr")));
        Assert.Equal("abc", reader.GetString(O("c")));
        Assert.Equal("Grüße 😀", reader.GetValue(O("vc")));
        Assert.Equal("text 'quoted'", reader.GetFieldValue<string>(O("tx")));
        Assert.Equal(typeof(byte[]), reader.GetFieldType(O("bl")));
        Assert.Equal(new byte[] { 0, 255, 16 }, reader.GetValue(O("bl")));
        Assert.Equal(new Guid(Convert.FromHexString("000102030405060708090A0B0C0D0E0F"), bigEndian: true), reader.GetGuid(O("bn")));
        Assert.Equal(new byte[] { 0xCA, 0xFE }, reader.GetFieldValue<byte[]>(O("vb")));
        Assert.Equal(typeof(string), reader.GetFieldType(O("js")));
        Assert.Equal("{\"a\": [1, 2]}", reader.GetValue(O("js")));
        Assert.Equal("large", reader.GetValue(O("en")));
        Assert.Equal(Size.Large, reader.GetFieldValue<Size>(O("en")));
        Assert.Equal("ENUM", reader.GetDataTypeName(O("en")));
        Assert.Equal("a,c", reader.GetString(O("st")));
        Assert.True(reader.IsDBNull(O("nul")));
        Assert.Equal(DBNull.Value, reader.GetValue(O("nul")));
        Assert.Null(reader.GetFieldValue<int?>(O("nul")));
        Assert.Null(reader.GetFieldValue<string?>(O("nul")));
        Assert.Throws<InvalidCastException>(() => reader.GetInt32(O("nul")));
        Assert.Equal(7, reader.GetFieldValue<int?>(O("id")) + 6);

        var values = new object[reader.FieldCount];
        Assert.Equal(32, reader.GetValues(values));
        Assert.Equal(1, values[0]);
        Assert.False(reader.Read());
        Assert.True(reader.HasRows);
    }

    [Fact]
    public void Names_and_ordinals_fall_back_to_case_insensitive()
    {
        using var connection = MySqlTestServer.Open();
        using var reader = connection.CreateCommand().Also("SELECT 1 AS Id, 2 AS id, 3 AS `Name`").ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(0, reader.GetOrdinal("Id"));
        Assert.Equal(1, reader.GetOrdinal("id"));
        Assert.Equal(2, reader.GetOrdinal("NAME"));
        Assert.Equal("Name", reader.GetName(2));
        Assert.Equal(3L, Convert.ToInt64(reader["name"]));
        Assert.Throws<IndexOutOfRangeException>(() => reader.GetOrdinal("missing"));
        Assert.Throws<IndexOutOfRangeException>(() => reader.GetValue(3));
    }

    [Fact]
    public void GetBytes_GetChars_and_streams_honour_offsets()
    {
        using var connection = MySqlTestServer.Open();
        var blob = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        using var reader = connection.CreateCommand().Also("SELECT @b, @s").With("b", blob).With("s", "héllo wörld").ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(1000L, reader.GetBytes(0, 0, null, 0, 0));
        var buffer = new byte[300];
        Assert.Equal(250L, reader.GetBytes(0, 750, buffer, 50, 300));
        Assert.Equal(blob[750..], buffer[50..]);
        Assert.Equal(0L, reader.GetBytes(0, 1000, buffer, 0, 10));
        using var stream = reader.GetStream(0);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        Assert.Equal(blob, copy.ToArray());
        var chars = new char[5];
        Assert.Equal(5L, reader.GetChars(1, 6, chars, 0, 5));
        Assert.Equal("wörld", new string(chars));
        Assert.Equal("héllo wörld", reader.GetTextReader(1).ReadToEnd());
        Assert.Equal(Encoding.UTF8.GetBytes("héllo wörld"), reader.GetRawBytes(1).ToArray());
    }

    [Fact]
    public void Binary_and_text_columns_are_told_apart_by_charset_63()
    {
        using var connection = MySqlTestServer.Open();
        using var reader = connection.CreateCommand()
            .Also("SELECT 'x', CAST('x' AS BINARY), _binary'y', CONVERT(X'41' USING utf8mb4), HEX(X'00'), NULL").ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal([typeof(string), typeof(byte[]), typeof(byte[]), typeof(string), typeof(string), typeof(object)],
            Enumerable.Range(0, 6).Select(reader.GetFieldType));
        Assert.Equal("A", reader.GetValue(3));
        Assert.Equal(new byte[] { (byte)'y' }, reader.GetValue(2));
    }

    [Fact]
    public void Zero_date_is_reported_not_invented()
    {
        using var connection = MySqlTestServer.Open();
        connection.Execute("SET SESSION sql_mode = ''");
        using var reader = connection.CreateCommand().Also("SELECT CAST('0000-00-00' AS DATE)").ExecuteReader();
        Assert.True(reader.Read());
        var ex = Assert.Throws<InvalidCastException>(() => reader.GetDateTime(0));
        Assert.Contains("zero date", ex.Message, StringComparison.Ordinal);
        Assert.Equal("0000-00-00", reader.GetString(0));
    }

    [Fact]
    public void Empty_result_has_no_rows_and_getters_need_a_row()
    {
        using var connection = MySqlTestServer.Open();
        using var reader = connection.CreateCommand().Also("SELECT 1 AS a FROM DUAL WHERE 1 = 0").ExecuteReader();
        Assert.False(reader.HasRows);
        Assert.Equal(1, reader.FieldCount);
        Assert.Equal("a", reader.GetName(0));
        Assert.Throws<InvalidOperationException>(() => reader.GetValue(0));
        Assert.False(reader.Read());
    }
}
