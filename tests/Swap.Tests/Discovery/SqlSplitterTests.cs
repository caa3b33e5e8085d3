using Swap.Discovery;

namespace Swap.Tests.Discovery;

public class SqlSplitterTests
{
    private static string[] Texts(string sql, Swap.Dialects.SqlSyntax syntax) =>
        SqlSplitter.Split(sql, syntax, "x.sql").Select(s => s.Text).ToArray();

    [Fact]
    public void Splits_on_semicolons_and_keeps_the_line_each_statement_starts_on()
    {
        var statements = SqlSplitter.Split("CREATE TABLE a (id INT);\n\n-- a comment\nINSERT INTO a VALUES (1);\nSELECT 1", Syntaxes.Sqlite, "x.sql");
        Assert.Equal(["CREATE TABLE a (id INT)", "INSERT INTO a VALUES (1)", "SELECT 1"], statements.Select(s => s.Text));
        Assert.Equal([1, 4, 5], statements.Select(s => s.Line));
    }

    [Theory]
    [MemberData(nameof(AllSyntaxes))]
    public void A_sql_server_go_line_is_refused_with_its_line(string engine)
    {
        foreach (var go in new[] { "GO", "go", "  GO  ", "GO 2", "GO;", "GO -- next batch" })
        {
            var e = Assert.Throws<SwapException>(() => SqlSplitter.Split($"CREATE TABLE a (id INT)\n{go}\nINSERT INTO a VALUES (1)\n", Syntax(engine), "0001_x.sql"));
            Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
            Assert.Equal(
                $"0001_x.sql(2): '{go.Trim()[..2]}' alone on a line is SQL Server's batch separator (sqlcmd, SSMS, DbUp), not SQL: the engine would receive it "
                + "as part of the statement. End each statement with ';' and delete the GO lines; nothing was run.",
                e.Message);
        }
    }

    [Theory]
    [MemberData(nameof(AllSyntaxes))]
    public void Go_as_a_name_or_inside_strings_and_comments_is_sql(string engine)
    {
        var texts = Texts("CREATE TABLE t (\ngo INT,\ngone INT);\nSELECT 'a\nGO\nb';\n-- GO\n/*\nGO\n*/ SELECT go\nFROM t;", Syntax(engine));
        Assert.Equal(["CREATE TABLE t (\ngo INT,\ngone INT)", "SELECT 'a\nGO\nb'", "SELECT go\nFROM t"], texts);
    }

    [Fact]
    public void First_line_offsets_line_numbers_for_down_sections()
    {
        var statements = SqlSplitter.Split("\nDROP TABLE a;", Syntaxes.Sqlite, "x.sql", firstLine: 10);
        Assert.Equal(11, Assert.Single(statements).Line);
    }

    [Theory]
    [MemberData(nameof(AllSyntaxes))]
    public void Semicolons_inside_strings_and_quoted_names_do_not_split(string engine)
    {
        var syntax = Syntax(engine);
        var texts = Texts("INSERT INTO \"a;b\" (x) VALUES ('1;2');\nSELECT 'it''s; fine';", syntax);
        Assert.Equal(["INSERT INTO \"a;b\" (x) VALUES ('1;2')", "SELECT 'it''s; fine'"], texts);
    }

    [Theory]
    [MemberData(nameof(AllSyntaxes))]
    public void Comments_hide_semicolons_and_quotes(string engine)
    {
        var texts = Texts("-- it's; not a statement\nSELECT 1 /* a; 'b */ + 1;\nSELECT 2;", Syntax(engine));
        Assert.Equal(["SELECT 1 /* a; 'b */ + 1", "SELECT 2"], texts);
    }

    [Fact]
    public void Backslash_escapes_a_quote_in_mysql_strings_only()
    {
        Assert.Equal(["SELECT 'a\\';b'", "SELECT 2"], Texts("SELECT 'a\\';b';\nSELECT 2;", Syntaxes.MySql));
        // Without backslash escapes the same text closes the string at the second quote and leaves one open.
        var e = Assert.Throws<SwapException>(() => SqlSplitter.Split("SELECT 'a\\';b';\nSELECT 2;", Syntaxes.Postgres, "x.sql"));
        Assert.Contains("string literal opened on line 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_begin_atomic_bodies_keep_their_semicolons_and_end_at_their_end()
    {
        const string body = "CREATE FUNCTION f(i int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN i > 0 THEN 1 ELSE 2 END; SELECT i; END";
        Assert.Equal([body, "SELECT 2", "create procedure p() language sql begin atomic insert into t values (1); end"],
            Texts(body + ";\nSELECT 2;\ncreate procedure p() language sql begin atomic insert into t values (1); end;", Syntaxes.Postgres));
        // Elsewhere BEGIN and END are plain words: a transaction block splits as before.
        Assert.Equal(["BEGIN", "SELECT 1", "END"], Texts("BEGIN;\nSELECT 1;\nEND;", Syntaxes.Postgres));
        Assert.Equal(["CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1", "END"], Texts("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;\nEND;", Syntaxes.MySql));
    }

    [Fact]
    public void Postgres_escape_strings_take_backslash_escapes_but_plain_strings_do_not()
    {
        Assert.Equal(["SELECT E'it\\'s; x'", "SELECT e'\\\\'", "SELECT 2"], Texts("SELECT E'it\\'s; x';\nSELECT e'\\\\';\nSELECT 2;", Syntaxes.Postgres));
        // A name ending in E is not a prefix: 'SOME' followed by a plain string.
        Assert.Equal(["SELECT SOME'a\\'", "b"], Texts("SELECT SOME'a\\';b", Syntaxes.Postgres));
    }

    [Fact]
    public void Backtick_names_hold_semicolons_in_mysql_and_sqlite()
    {
        Assert.Equal(["CREATE TABLE `a;b` (x INT)"], Texts("CREATE TABLE `a;b` (x INT);", Syntaxes.MySql));
        Assert.Equal(["CREATE TABLE `a;b` (x INT)"], Texts("CREATE TABLE `a;b` (x INT);", Syntaxes.Sqlite));
    }

    [Fact]
    public void Hash_starts_a_comment_in_mysql_only()
    {
        Assert.Equal(["SELECT 1", "SELECT 2"], Texts("# note; with 'quote\nSELECT 1;\nSELECT 2;", Syntaxes.MySql));
        Assert.Equal(["SELECT 1 # 2"], Texts("SELECT 1 # 2;", Syntaxes.Postgres));
    }

    [Fact]
    public void Block_comments_nest_in_postgres_but_not_in_sqlite()
    {
        const string sql = "/* outer /* inner */ still comment; */ SELECT 1;";
        Assert.Equal(["SELECT 1"], Texts(sql, Syntaxes.Postgres));
        // SQLite ends the comment at the first */, so "still comment" is statement text.
        Assert.Equal(["still comment", "*/ SELECT 1"], Texts(sql, Syntaxes.Sqlite));
    }

    [Fact]
    public void Dollar_quoted_bodies_hold_semicolons_in_postgres()
    {
        const string sql = """
            CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;
            CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $body$
            BEGIN
              RETURN 'x;' || $$y;$$;
            END
            $body$;
            SELECT $1;
            """;
        var statements = SqlSplitter.Split(sql, Syntaxes.Postgres, "x.sql");
        Assert.Equal(3, statements.Count);
        Assert.Equal("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$", statements[0].Text);
        Assert.StartsWith("CREATE FUNCTION g()", statements[1].Text, StringComparison.Ordinal);
        Assert.EndsWith("END\n$body$", statements[1].Text, StringComparison.Ordinal);
        Assert.Equal(("SELECT $1", 7), (statements[2].Text, statements[2].Line));
    }

    [Fact]
    public void Delimiter_command_changes_the_terminator_like_the_mysql_client()
    {
        const string sql = """
            DELIMITER //
            CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//
            DELIMITER ;
            SELECT 3;
            """;
        var statements = SqlSplitter.Split(sql, Syntaxes.MySql, "x.sql");
        Assert.Equal(["CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END", "SELECT 3"], statements.Select(s => s.Text));
        Assert.Equal([2, 4], statements.Select(s => s.Line));
    }

    [Fact]
    public void Delimiter_without_a_terminator_is_an_error_with_its_line()
    {
        var e = Assert.Throws<SwapException>(() => SqlSplitter.Split("SELECT 1;\nDELIMITER\nSELECT 2;", Syntaxes.MySql, "m.sql"));
        Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
        Assert.StartsWith("m.sql(2): DELIMITER needs a terminator", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_trigger_bodies_keep_their_semicolons()
    {
        const string sql = """
            CREATE TRIGGER t AFTER INSERT ON a
            WHEN CASE WHEN NEW.x > 0 THEN 1 ELSE 0 END
            BEGIN
              INSERT INTO b VALUES (NEW.x);
              UPDATE c SET n = n + 1;
            END;
            CREATE TEMP TRIGGER u AFTER DELETE ON a BEGIN DELETE FROM b; END;
            SELECT 1;
            """;
        var texts = Texts(sql, Syntaxes.Sqlite);
        Assert.Equal(3, texts.Length);
        Assert.EndsWith("UPDATE c SET n = n + 1;\nEND", texts[0], StringComparison.Ordinal);
        Assert.Equal("CREATE TEMP TRIGGER u AFTER DELETE ON a BEGIN DELETE FROM b; END", texts[1]);
        Assert.Equal("SELECT 1", texts[2]);
    }

    [Theory]
    [InlineData("SELECT 1;\nSELECT 'abc;\nSELECT 3;", 2, "a string literal")]
    [InlineData("SELECT 1;\n\nSELECT \"abc;", 3, "a double-quoted name")]
    [InlineData("SELECT 1; /* never\nclosed", 1, "a /* comment")]
    public void Unclosed_quotes_and_comments_are_errors_naming_file_and_line(string sql, int line, string what)
    {
        var e = Assert.Throws<SwapException>(() => SqlSplitter.Split(sql, Syntaxes.Sqlite, "20260101000000_x.sql"));
        Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
        Assert.StartsWith($"20260101000000_x.sql({line}): {what} opened on line {line} is never closed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_dollar_quote_is_an_error()
    {
        var e = Assert.Throws<SwapException>(() => SqlSplitter.Split("SELECT 1;\nDO $x$ BEGIN END;", Syntaxes.Postgres, "p.sql"));
        Assert.Contains("p.sql(2): the dollar-quoted string $x$ opened on line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_comments_and_blank_lines_give_no_statements()
    {
        Assert.Empty(SqlSplitter.Split("-- nothing\n/* here */\n;\n", Syntaxes.Postgres, "x.sql"));
    }

    [Fact]
    public void Mysql_executable_comments_are_statements_as_in_mysqldump_output()
    {
        const string sql = "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE */;\n-- plain\n/* plain; too */\n/*M!100101 SET NAMES utf8mb4 */;\n"
            + "CREATE TABLE t (id INT) /*!50100 PARTITION BY HASH (id) */;\n/*!40000 ALTER TABLE t DISABLE KEYS */;";
        var statements = SqlSplitter.Split(sql, Syntaxes.MySql, "dump.sql");
        Assert.Equal(
            ["/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE */", "/*M!100101 SET NAMES utf8mb4 */", "CREATE TABLE t (id INT) /*!50100 PARTITION BY HASH (id) */", "/*!40000 ALTER TABLE t DISABLE KEYS */"],
            statements.Select(s => s.Text));
        Assert.Equal([1, 4, 5, 6], statements.Select(s => s.Line));
        // Elsewhere /*! is an ordinary comment.
        Assert.Empty(SqlSplitter.Split("/*!40101 SET x = 1 */;", Syntaxes.Postgres, "x.sql"));
    }

    public static TheoryData<string> AllSyntaxes => new() { "sqlite", "postgres", "mysql" };

    private static Swap.Dialects.SqlSyntax Syntax(string engine) => engine switch
    {
        "sqlite" => Syntaxes.Sqlite,
        "postgres" => Syntaxes.Postgres,
        _ => Syntaxes.MySql,
    };
}
