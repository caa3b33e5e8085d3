using Swap.MySql;

namespace Swap.Tests.MySql;

/// <summary>
/// The SQL and the readings that differ between MySQL 8 and MariaDB, without a server: only
/// MariaDB 10.11 runs here, so what MySQL 8 prints and refuses is taken from its manual.
/// </summary>
public class MySql8SqlTests
{
    [Theory]
    // MySQL 8 prints every expression default in parentheses (8.0.13+).
    [InlineData("varchar(36) DEFAULT (uuid())", "(uuid())")]
    [InlineData("date DEFAULT (curdate() + interval 1 year)", "(curdate() + interval 1 year)")]
    [InlineData("json DEFAULT (json_array())", "(json_array())")]
    [InlineData("varchar(10) DEFAULT (concat(_utf8mb4'(',_utf8mb4'a'))", "(concat(_utf8mb4'(',_utf8mb4'a'))")]
    [InlineData("int DEFAULT ((`id` * 2)) COMMENT 'x (y)'", "((`id` * 2))")]
    // MariaDB prints an operator expression in parentheses and a function call bare.
    [InlineData("int(11) DEFAULT (`id` * 2)", "(`id` * 2)")]
    [InlineData("varchar(20) DEFAULT concat('a',')')", "concat('a',')')")]
    [InlineData("varchar(36) DEFAULT uuid()", "uuid()")]
    // Literals and the current time, as both print them.
    [InlineData("datetime(6) NOT NULL DEFAULT current_timestamp(6) ON UPDATE current_timestamp(6)", "current_timestamp(6)")]
    [InlineData("timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP")]
    [InlineData("int NOT NULL DEFAULT '0'", "'0'")]
    [InlineData("int(11) NOT NULL DEFAULT -1", "-1")]
    [InlineData("varchar(10) DEFAULT 'it''s (x)' COMMENT 'c'", "'it''s (x)'")]
    [InlineData("bit(3) DEFAULT b'101'", "b'101'")]
    public void A_default_is_read_whole_as_either_server_prints_it(string definition, string expected) =>
        Assert.Equal(expected, MySqlColumnText.Default(definition));

    [Theory]
    [InlineData("int DEFAULT NULL")]
    [InlineData("int NOT NULL")]
    [InlineData("int DEFAULT NULL /*!80023 INVISIBLE */")]
    public void No_default_or_default_null_is_none(string definition) => Assert.Null(MySqlColumnText.Default(definition));

    [Fact]
    public void The_load_signal_is_a_show_statement_both_servers_answer()
    {
        // MySQL 8.0 removed information_schema.GLOBAL_STATUS (WL#8057); MariaDB without the
        // performance schema (its default) returns no row from performance_schema.global_status.
        Assert.Equal("SHOW GLOBAL STATUS LIKE 'Threads_running'", MySqlDialect.Instance.ServerLoadQuery);
        Assert.True(MySqlDialect.Instance.ServerLoadCountsSelf);
        Assert.DoesNotContain("information_schema", MySqlDialect.Instance.ServerLoadQuery!, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("8.0.36", true)]
    [InlineData("8.4.3", true)]
    [InlineData("9.1.0-commercial", true)]
    [InlineData("8.0.mysql_aurora.3.05.2", true)]
    [InlineData("5.7.44-log", false)]
    [InlineData("10.11.19-MariaDB-0+deb12u1-log", false)]
    [InlineData("11.4.5-MariaDB", false)]
    [InlineData("5.5.5-10.6.16-MariaDB", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_MySQL_8_and_later_are_told_to_read_table_statistics_live(string? version, bool expected) =>
        Assert.Equal(expected, MySqlDatabase.CachesTableStatistics(version));

    [Fact]
    public void MySQL_s_row_version_limit_sends_an_instant_change_to_the_copy()
    {
        // ER_INNODB_MAX_ROW_VERSION, raised for the 65th instant ADD/DROP COLUMN with ALGORITHM=INSTANT.
        Assert.Contains((MySqlConnector.MySqlErrorCode)4092, MySqlDialect.UnsupportedInstantCodes);
        Assert.Contains((MySqlConnector.MySqlErrorCode)1846, MySqlDialect.UnsupportedInstantCodes);
        Assert.DoesNotContain(MySqlConnector.MySqlErrorCode.LockWaitTimeout, MySqlDialect.UnsupportedInstantCodes);
    }
}
