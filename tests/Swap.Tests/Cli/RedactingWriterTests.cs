using Swap.Cli;

namespace Swap.Tests.Cli;

public class RedactingWriterTests
{
    private static string Through(Action<RedactingWriter> write)
    {
        var sw = new StringWriter();
        using (var w = new RedactingWriter(sw))
            write(w);
        return sw.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    [Fact]
    public void Url_passwords_are_hidden_also_percent_encoded_and_holding_url_characters()
    {
        var text = Through(w =>
        {
            w.WriteLine("url mysql://root:other-secret@db:3306/app");
            w.WriteLine("url postgres://u:p%40ss%3Aword@db/app?schema=s and mysql://u:p@ss:w/rd@db/app");
        });
        Assert.Equal("url mysql://root:***@db:3306/app\nurl postgres://u:***@db/app?schema=s and mysql://u:***@db/app\n", text);
    }

    [Fact]
    public void A_password_equal_to_an_ordinary_word_hides_only_the_password()
    {
        // With 'mysql://swap:swap@...' the old filter printed '***_history' and '*** invoices: copying';
        // with password 'invoices', JSON ids became 'create_***'.
        var text = Through(w =>
        {
            w.AddSecretValue("mysql://swap:swap@db:3306/app", "mysql://swap:***@db:3306/app");
            w.WriteLine("08:00:05 info: Created the history table swap_history on mysql://swap:swap@db:3306/app");
            w.WriteLine("swap invoices: copying");
            w.WriteLine("{ \"id\": \"20261201000000_create_invoices\", \"target\": \"postgres://invoices:invoices@db/invoices\" }");
        });
        Assert.Equal(
            "08:00:05 info: Created the history table swap_history on mysql://swap:***@db:3306/app\n"
            + "swap invoices: copying\n"
            + "{ \"id\": \"20261201000000_create_invoices\", \"target\": \"postgres://invoices:***@db/invoices\" }\n",
            text);
    }

    [Fact]
    public void A_registered_value_is_replaced_whole_even_where_it_does_not_parse_as_a_url()
    {
        // A password with a space ends the URL for the URL filter; the raw --db value still goes.
        var text = Through(w =>
        {
            w.AddSecretValue("mysql://u:pass word@db/app", "mysql://u:***@db/app");
            w.WriteLine("could not reach 'mysql://u:pass word@db/app'; a word: pass");
        });
        Assert.Equal("could not reach 'mysql://u:***@db/app'; a word: pass\n", text);
    }

    [Theory]
    [InlineData("Host=db;Username=app;Password=invoices;Database=invoices", "Host=db;Username=app;Password=***;Database=invoices")]
    [InlineData("Server=db; Uid=app; Pwd='a;b'; Database=x", "Server=db; Uid=app; Pwd=***; Database=x")]
    [InlineData("Password=hunter2;Host=db", "Password=***;Host=db")]
    [InlineData("connecting with password=hunter2;host=db", "connecting with password=***;host=db")]
    [InlineData("   UPDATE users SET password = 'x' WHERE id = 1;", "   UPDATE users SET password = 'x' WHERE id = 1;")]
    [InlineData("the password column of invoices", "the password column of invoices")]
    public void Connection_string_passwords_are_hidden_and_sql_is_not(string line, string expected)
    {
        Assert.Equal(expected + "\n", Through(w => w.WriteLine(line)));
    }

    [Fact]
    public void A_secret_split_across_writes_is_still_hidden_because_lines_are_buffered()
    {
        var text = Through(w =>
        {
            w.Write("at mysql://u:hun");
            w.Write("ter2@db/app");
            w.Write('\n');
        });
        Assert.Equal("at mysql://u:***@db/app\n", text);
    }

    [Fact]
    public void The_help_examples_print_as_written()
    {
        // Through the redaction every output passes, an example with a password would read 'deploy:***@db'.
        var examples = CliHelp.Examples.Values.SelectMany(e => e).ToList();
        Assert.Contains(examples, e => e.Contains("://", StringComparison.Ordinal));
        Assert.All(examples, e => Assert.Equal(e + "\n", Through(w => w.WriteLine(e))));
    }
}
