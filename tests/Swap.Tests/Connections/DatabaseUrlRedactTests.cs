
namespace Swap.Tests.Connections;

public class DatabaseUrlRedactTests
{
    [Theory]
    [InlineData("mysql://root:pw@h:1/d", "mysql://root:***@h:1/d")]
    [InlineData("from mysql://a:one@h/d to postgres://b:two@h/d", "from mysql://a:***@h/d to postgres://b:***@h/d")]
    [InlineData("see https://example.com/docs, then mysql://a:pw@h/d", "see https://example.com/docs, then mysql://a:***@h/d")]
    [InlineData("mysql://u:p@ss@h/d", "mysql://u:***@h/d")]
    [InlineData("postgres://user@h/d and sqlite:a.db", "postgres://user@h/d and sqlite:a.db")]
    [InlineData("mysql://u:pw@h:3306 is down; mail ops@example.com", "mysql://u:***@h:3306 is down; mail ops@example.com")]
    [InlineData("no urls here: a:b@c", "no urls here: a:b@c")]
    [InlineData("trailing ://", "trailing ://")]
    public void Every_url_password_in_the_text_is_hidden_and_nothing_else_changes(string text, string expected)
    {
        Assert.Equal(expected, DatabaseUrl.Redact(text));
    }
}
