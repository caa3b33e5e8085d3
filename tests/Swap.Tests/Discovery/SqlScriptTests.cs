using Swap.Discovery;

namespace Swap.Tests.Discovery;

public class SqlScriptTests
{
    [Fact]
    public void Reads_up_down_and_directives()
    {
        const string text = """
            -- swap:after 20260101000000_a, 20260102000000_b
            -- SWAP:No-Transaction
            CREATE INDEX CONCURRENTLY ix ON t (x);
            -- swap:down
            DROP INDEX ix;
            """;
        var script = SqlScript.Parse("/m/20260103000000_c.sql", text);
        Assert.Equal(["20260101000000_a", "20260102000000_b"], script.After);
        Assert.True(script.NoTransaction);
        Assert.Equal(["CREATE INDEX CONCURRENTLY ix ON t (x)"], script.UpStatements(Syntaxes.Postgres).Select(s => s.Text));
        var down = Assert.Single(script.DownStatements(Syntaxes.Postgres));
        Assert.Equal(("DROP INDEX ix", 5), (down.Text, down.Line));
    }

    [Fact]
    public void A_script_without_directives_runs_in_a_transaction_and_has_no_down()
    {
        var script = SqlScript.Parse("a.sql", "CREATE TABLE t (id INT);");
        Assert.False(script.NoTransaction);
        Assert.Empty(script.After);
        Assert.Null(script.Down);
        Assert.Empty(script.DownStatements(Syntaxes.Sqlite));
    }

    [Fact]
    public void Repeated_after_ids_are_kept_once_and_whitespace_separates_them_too()
    {
        var script = SqlScript.Parse("a.sql", "-- swap:after x y,x\n-- swap:after y\nSELECT 1;");
        Assert.Equal(["x", "y"], script.After);
    }

    [Fact]
    public void A_separate_down_file_is_the_down_section_with_its_own_path()
    {
        var script = SqlScript.Parse("/m/1_a.up.sql", "CREATE TABLE t (id INT);", "/m/1_a.down.sql", "DROP TABLE t;");
        Assert.Equal("/m/1_a.down.sql", script.DownPath);
        Assert.Equal(["DROP TABLE t"], script.DownStatements(Syntaxes.Sqlite).Select(s => s.Text));
    }

    [Fact]
    public void Windows_line_endings_and_a_byte_order_mark_are_read_as_plain_text()
    {
        var script = SqlScript.Parse("a.sql", "\uFEFFSELECT 1;\r\n-- swap:down\r\nSELECT 2;\r\n");
        Assert.Equal("SELECT 1;", script.Up.Trim());
        Assert.Equal(["SELECT 2"], script.DownStatements(Syntaxes.Sqlite).Select(s => s.Text));
    }

    [Theory]
    [InlineData("SELECT 1;\n-- swap:down\nSELECT 2;\n-- swap:down\nSELECT 3;", 4, "has a second down marker ('-- swap:down' or '-- DOWN')")]
    [InlineData("SELECT 1;\n-- DOWN\nSELECT 2;\n-- swap:down\nSELECT 3;", 4, "has a second down marker ('-- swap:down' or '-- DOWN')")]
    [InlineData("-- swap:tags\nSELECT 1;", 1, "has '-- swap:tags' without a tag; write '-- swap:tags seed, demo'")]
    [InlineData("SELECT 1;\n-- swap:tags seed, de$mo", 2, "has the tag 'de$mo', which is not a tag: tags are letters, digits, '_', '-' and '.', separated by commas")]
    [InlineData("-- swap:before x\nSELECT 1;", 1, "has an unknown directive '-- swap:before'")]
    [InlineData("SELECT 1;\n-- swap:after\n", 2, "has '-- swap:after' without a script id")]
    [InlineData("-- swap:online off\nSELECT 1;", 1, "has '-- swap:online off', but '-- swap:online' takes nothing after it; to leave it off, remove the line")]
    [InlineData("-- swap:no-transaction false\nSELECT 1;", 1, "has '-- swap:no-transaction false', but '-- swap:no-transaction' takes nothing after it")]
    public void Malformed_scripts_are_refused_with_file_line_and_what_to_do(string text, int line, string what)
    {
        var e = Assert.Throws<SwapException>(() => SqlScript.Parse("/m/1_a.sql", text));
        Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
        Assert.StartsWith($"/m/1_a.sql({line}): the SQL migration {what}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-- only a comment\n-- swap:down\nDROP TABLE t;")]
    [InlineData("/* a block\n comment */\n-- swap:after x\n")]
    public void A_script_without_up_statements_loads_but_says_it_has_none(string text)
    {
        var script = SqlScript.Parse("/m/1_a.sql", text);
        Assert.False(script.HasUpStatements);
        var e = script.EmptyUpError("1_a");
        Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
        Assert.Equal("/m/1_a.sql(1): the SQL migration 1_a has no statements in its up section yet (a stub from 'swap create' holds only comments). Write its statements above '-- swap:down' (or delete the file if it is not needed), then run again; nothing was run.", e.Message);
    }

    [Fact]
    public void A_down_section_and_a_down_file_together_are_refused()
    {
        var e = Assert.Throws<SwapException>(() => SqlScript.Parse("/m/1_a.up.sql", "SELECT 1;\n-- swap:down\nSELECT 2;", "/m/1_a.down.sql", "SELECT 3;"));
        Assert.Contains("also a separate down file /m/1_a.down.sql; keep one", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unos_DOWN_marker_starts_the_down_section_like_swap_down()
    {
        var script = SqlScript.Parse("/m/1_a.sql", "CREATE TABLE t (id INT);\n  -- DOWN  \nDROP TABLE t;\n");
        Assert.Equal(["CREATE TABLE t (id INT)"], script.UpStatements(Syntaxes.Sqlite).Select(s => s.Text));
        var down = Assert.Single(script.DownStatements(Syntaxes.Sqlite));
        Assert.Equal(("DROP TABLE t", 3), (down.Text, down.Line));
    }

    [Theory]
    [InlineData("-- down")]
    [InlineData("-- Down")]
    [InlineData("-- DOWN the old table")]
    [InlineData("--DOWNTIME")]
    public void Other_comments_that_look_like_down_stay_comments(string comment)
    {
        var script = SqlScript.Parse("/m/1_a.sql", $"CREATE TABLE t (id INT);\n{comment}\nCREATE TABLE u (id INT);\n");
        Assert.Null(script.Down);
        Assert.Equal(2, script.UpStatements(Syntaxes.Sqlite).Count);
    }

    [Fact]
    public void Tags_are_read_from_every_tags_line_once_each()
    {
        var script = SqlScript.Parse("/m/1_a.sql", "-- swap:tags seed, demo\n-- SWAP:TAGS demo data.v2\nSELECT 1;");
        Assert.Equal(["seed", "demo", "data.v2"], script.Tags);
    }
}
