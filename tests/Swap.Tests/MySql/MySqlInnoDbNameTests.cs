using Swap.MySql;

namespace Swap.Tests.MySql;

/// <summary>Names as InnoDB's catalog spells them (the server's file-name encoding), for the storage identity the cut-over compares.</summary>
public class MySqlInnoDbNameTests
{
    [Theory]
    [InlineData("items", "items")]
    [InlineData("Order_Lines2", "Order_Lines2")]
    [InlineData("my-table", "my@002dtable")]
    [InlineData("a$b", "a@0024b")]
    [InlineData("with space", "with@0020space")]
    [InlineData("x.y", "x@002ey")]
    [InlineData("q\"t", "q@0022t")]
    public void Ascii_names_are_encoded_as_the_server_names_their_files(string name, string expected) =>
        Assert.Equal(expected, MySqlTableEngine.InnoDbFileName(name));

    [Theory]
    [InlineData("café")]
    [InlineData("表")]
    public void Names_with_other_characters_have_no_spelling_here(string name) =>
        Assert.Null(MySqlTableEngine.InnoDbFileName(name));
}
