using System.Globalization;
using Swap.MySql.Client;

namespace Swap.IntegrationTests.MySqlClient;

public class ParameterTypeTests
{
    private enum Color { Red = 1, Blue = 7 }

    private enum Huge : ulong { Max = ulong.MaxValue }

    [Fact]
    public void Every_supported_type_is_stored_in_a_typed_column_exactly()
    {
        using var connection = MySqlTestServer.Open();
        var table = MySqlTestServer.UniqueTable();
        connection.Execute($"""
            CREATE TABLE {table} (
              id INT PRIMARY KEY, n_null INT NULL, n_dbnull INT NULL, i8 TINYINT, u8 TINYINT UNSIGNED, i16 SMALLINT,
              u16 SMALLINT UNSIGNED, i32 INT, u32 INT UNSIGNED, i64 BIGINT, u64 BIGINT UNSIGNED, dm DECIMAL(38,10),
              dbl DOUBLE, flt FLOAT, flag BOOL, ch CHAR(1), dt DATETIME(6), dto DATETIME(6), d DATE, t TIME(6),
              ts TIME(6), ts_neg TIME(6), g CHAR(36), e INT, eu BIGINT UNSIGNED)
            """);
        var dateTime = new DateTime(2024, 2, 29, 23, 59, 58, DateTimeKind.Unspecified).AddTicks(1234560);
        var offset = new DateTimeOffset(2024, 3, 1, 1, 2, 3, TimeSpan.FromHours(2)).AddTicks(9876540);
        var guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        connection.Execute($"""
            INSERT INTO {table} VALUES (1, @n, @dbn, @i8, @u8, @i16, @u16, @i32, @u32, @i64, @u64, @dec, @dbl, @flt,
              @flag, @ch, @dt, @dto, @d, @t, @ts, @tsn, @g, @e, @eu)
            """,
            ("n", null), ("dbn", DBNull.Value), ("i8", sbyte.MinValue), ("u8", byte.MaxValue), ("i16", short.MinValue),
            ("u16", ushort.MaxValue), ("i32", int.MinValue), ("u32", uint.MaxValue), ("i64", long.MinValue), ("u64", ulong.MaxValue),
            ("dec", -1234567890123456789.0123456789m), ("dbl", Math.PI), ("flt", 1.5f), ("flag", true), ("ch", '\''),
            ("dt", dateTime), ("dto", offset), ("d", new DateOnly(1999, 12, 31)), ("t", new TimeOnly(13, 14, 15, 16, 17)),
            ("ts", new TimeSpan(34, 5, 6, 7) + TimeSpan.FromTicks(80)), ("tsn", -new TimeSpan(0, 1, 2, 3, 400)), ("g", guid),
            ("e", Color.Blue), ("eu", Huge.Max));

        var text = connection.Scalar($"""
            SELECT CONCAT_WS('|', IFNULL(n_null,'N'), IFNULL(n_dbnull,'N'), i8, u8, i16, u16, i32, u32, i64, u64, dm, dbl, flt,
              flag, HEX(ch), dt, dto, d, t, ts, ts_neg, g, e, eu) FROM {table}
            """);
        Assert.Equal(string.Join('|',
            "N", "N", "-128", "255", "-32768", "65535", "-2147483648", "4294967295", "-9223372036854775808",
            "18446744073709551615", "-1234567890123456789.0123456789", Math.PI.ToString("R", CultureInfo.InvariantCulture), "1.5",
            "1", "27", "2024-02-29 23:59:58.123456", "2024-02-29 23:02:03.987654", "1999-12-31", "13:14:15.016017",
            "821:06:07.000008", "-01:02:03.400000", "0f8fad5b-d9cb-469f-a165-70867728950e", "7", "18446744073709551615"), text);
        connection.Execute($"DROP TABLE {table}");
    }

    [Fact]
    public void Doubles_round_trip_to_the_last_bit()
    {
        using var connection = MySqlTestServer.Open();
        foreach (var value in new[] { 0.1, -0.0, 1e300, -1.7976931348623157e308, 4.9e-324, 2.2250738585072014e-308, 123456789.123456789 })
        {
            var read = Convert.ToDouble(connection.Scalar("SELECT CAST(@d AS DOUBLE)", ("d", value)), CultureInfo.InvariantCulture);
            Assert.Equal(BitConverter.DoubleToInt64Bits(value == 0 ? 0.0 : value), BitConverter.DoubleToInt64Bits(read == 0 ? 0.0 : read));
        }
    }
}
