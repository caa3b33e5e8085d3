using Swap.Cli;

namespace Swap.Tests.Cli;

public class RedactingWriterTests
{
    [Fact]
    public void Known_secrets_and_url_passwords_never_pass_through()
    {
        var sw = new StringWriter();
        using (var w = new RedactingWriter(sw))
        {
            w.AddSecret("p@ss:word");
            w.Write("connecting with p@ss:word");
            w.WriteLine(" and p%40ss%3Aword");
            w.WriteLine("url mysql://root:other-secret@db:3306/app");
        }
        Assert.Equal("connecting with *** and ***\nurl mysql://root:***@db:3306/app\n", sw.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void A_secret_split_across_writes_is_still_hidden_because_lines_are_buffered()
    {
        var sw = new StringWriter();
        using (var w = new RedactingWriter(sw))
        {
            w.AddSecret("hunter2");
            w.Write("pw hun");
            w.Write("ter2");
            w.Write('\n');
        }
        Assert.Equal("pw ***\n", sw.ToString());
    }
}
