using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.Tests.Engine;

/// <summary>The table engineer's CHECK constraints, and how each catalog's text and each server's refusal name one.</summary>
public class CheckConstraintTests
{
    private static DbTable Accounts() => new(
        new TableSchema
        {
            Name = "accounts",
            Columns = [new ColumnSchema("id", "int", false), new ColumnSchema("amount", "int", false)],
            PrimaryKey = ["id"],
            Checks = [new CheckSchema("ck_kind", "kind <> ''")],
        },
        "_accounts_swap_new",
        new Swap.PostgreSql.PostgresDatabase(DatabaseUrl.Parse("postgres://swap@localhost/app")).Dialect,
        readOnly: false);

    [Theory]
    [InlineData("CK_KIND", "amount > 0", "already has a check constraint 'CK_KIND'")]
    [InlineData("ck_amount", "amount > (0", "unbalanced parentheses or an unclosed quote")]
    [InlineData("ck_amount", "amount > 0); DROP TABLE accounts; --", "unbalanced parentheses")]
    [InlineData("ck_amount", "amount > 0; DROP TABLE accounts", "write one SQL expression")]
    [InlineData("ck_amount", "name <> 'it''s", "unbalanced parentheses or an unclosed quote")]
    [InlineData("ck\"x", "amount > 0", "check constraint")]
    public void A_check_the_table_cannot_take_is_refused_when_it_is_added(string name, string expression, string message)
    {
        var table = Accounts();

        var error = Assert.Throws<SwapException>(() => table.AddCheck(name, expression));

        Assert.Equal(SwapErrorKind.Refused, error.Kind);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(["ck_kind"], table.CheckNames);
        Assert.Empty(table.Changes);
    }

    [Fact]
    public void Dropping_an_unknown_check_lists_the_tables_checks()
    {
        var error = Assert.Throws<SwapException>(() => Accounts().DropCheck("ck_other"));

        Assert.Equal("Table 'accounts' has no check constraint 'ck_other'. Its check constraints are: ck_kind.", error.Message);
    }

    [Fact]
    public void A_dropped_check_can_be_added_again_under_its_name_with_another_expression()
    {
        var table = Accounts().DropCheck("ck_kind").AddCheck("ck_kind", "kind IN ('a', 'b')");

        var diff = Swap.Instant.TableDiff.Of(table, table.Dialect);

        Assert.Equal("ck_kind", Assert.Single(diff.ChecksDropped).Name);
        Assert.Equal("kind IN ('a', 'b')", Assert.Single(diff.ChecksAdded).Expression);
        Assert.Equal(["drop check ck_kind", "add check ck_kind (kind IN ('a', 'b'))"], table.Changes);
    }

    [Fact]
    public void MySQLs_create_table_text_gives_the_table_level_checks_not_a_columns_own()
    {
        const string ddl = """
            CREATE TABLE `t` (
              `id` int(11) NOT NULL,
              `a` int(11) DEFAULT NULL CHECK (`a` >= 0),
              `b` int(11) DEFAULT NULL,
              PRIMARY KEY (`id`),
              CONSTRAINT `fk_b` FOREIGN KEY (`b`) REFERENCES `p` (`id`),
              CONSTRAINT `b_pos` CHECK (`b` > 0 and (`b` < 10)),
              CONSTRAINT `od``d` CHECK (`a` <> `b`) /*!80016 NOT ENFORCED */
            ) ENGINE=InnoDB
            """;

        var checks = Swap.MySql.MySqlColumnText.Checks(ddl);

        Assert.Equal([("b_pos", "`b` > 0 and (`b` < 10)"), ("od`d", "`a` <> `b`")], checks.Select(c => (c.Name, c.Expression)));
    }

    [Fact]
    public void SQLites_named_checks_are_read_and_unnamed_ones_are_not()
    {
        var parsed = Swap.Sqlite.Internal.SqliteCreateTable.Parse("CREATE TABLE t (id INTEGER PRIMARY KEY, a INT CHECK (a > 0), b INT, CHECK (b <> 0), CONSTRAINT \"b pos\" CHECK (b > 0), constraint [c] check(a < b))");

        var checks = Swap.Sqlite.Internal.SqliteCreateTable.Checks(parsed);

        Assert.Equal([("b pos", "b > 0"), ("c", "a < b")], checks.Select(c => (c.Name, c.Expression)));
        Assert.True(Swap.Sqlite.Internal.SqliteCreateTable.IsCheckNamed(parsed.Constraints[^1], "C"));
    }

    [Theory]
    [InlineData("CONSTRAINT `ck_amount` failed for `app`.`accounts`", true)]
    [InlineData("Check constraint 'ck_amount' is violated", true)]
    [InlineData("23514: new row for relation \"accounts\" violates check constraint \"ck_amount\"", true)]
    [InlineData("CHECK constraint failed: ck_amount", true)]
    [InlineData("CHECK constraint failed: ck_amount_2", false)]
    [InlineData("CONSTRAINT `ck_amount_2` failed for `app`.`accounts`", false)]
    public void A_servers_refusal_names_the_check_it_found_failing(string reason, bool names) =>
        Assert.Equal(names, ValueMisfits.NamesCheck(reason, "ck_amount"));

    [Theory]
    [InlineData("int(11) DEFAULT NULL CHECK (`a` >= 0 and (`a` < 10))", "CHECK (`a` >= 0 and (`a` < 10))")]
    [InlineData("varchar(10) DEFAULT 'CHECK (x)' COMMENT 'a CHECK (y) here' CHECK (`b` <> ')')", "CHECK (`b` <> ')')")]
    [InlineData("int(11) DEFAULT NULL COMMENT 'CHECK (no)'", null)]
    public void A_MariaDB_columns_own_check_is_found_in_its_definition_and_not_in_its_strings(string definition, string? check) =>
        Assert.Equal(check, Swap.MySql.MySqlColumnText.Check(definition));

    [Theory]
    [InlineData("CHECK ((b > a))", "b > a")]
    [InlineData("CHECK (((a > 0) AND (b > 0)))", "(a > 0) AND (b > 0)")]
    [InlineData("CHECK (((a > 0) OR (b = ')('))) NOT VALID", "(a > 0) OR (b = ')(')")]
    public void PostgreSQLs_printed_check_gives_its_expression(string definition, string expression) =>
        Assert.Equal(expression, Swap.PostgreSql.PostgresTableEngine.CheckExpression(definition));

    [Fact]
    public void A_column_a_check_names_with_another_column_is_dropped_only_after_the_check()
    {
        var table = new DbTable(
            new TableSchema
            {
                Name = "t",
                Columns = [new ColumnSchema("id", "int", false), new ColumnSchema("a", "int", true), new ColumnSchema("b", "int", true)],
                PrimaryKey = ["id"],
                Checks = [new CheckSchema("ck_ab", "`b` > `a`"), new CheckSchema("ck_a", "a > 0")],
            },
            "_t_swap_new",
            new Swap.MySql.MySqlDatabase(DatabaseUrl.Parse("mysql://swap@localhost/app")).Dialect,
            readOnly: false);

        var error = Assert.Throws<SwapException>(() => table.DropColumn("a"));

        Assert.Equal("Column 'a' is used by check constraint 'ck_ab' (`b` > `a`); drop the check first with DropCheck(\"ck_ab\") (online SQL: DROP CONSTRAINT ck_ab), and add the check you want after.", error.Message);
        Assert.Equal(["ck_ab", "ck_a"], table.CheckNames);
        table.DropCheck("ck_ab").DropColumn("a");
        // The check over the dropped column alone goes with it.
        Assert.Empty(table.CheckNames);
        Assert.Equal(["ck_ab", "ck_a"], Swap.Instant.TableDiff.Of(table, table.Dialect).ChecksDropped.Select(c => c.Name));
    }
}
