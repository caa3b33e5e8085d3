using Swap.Engine;
using Swap.MySql;

namespace Swap.Tests.Engine;

/// <summary>The pure parts of stopping a swap whose values do not fit: the row search, the column in the server's words, keys shown in messages.</summary>
public class ValueMisfitTests
{
    [Theory]
    [InlineData(new[] { 7 }, 7)]
    [InlineData(new[] { 1 }, 1)]
    [InlineData(new[] { 100 }, 100)]
    [InlineData(new[] { 42, 43, 99 }, 42)]
    public async Task The_search_finds_the_first_key_that_does_not_fit(int[] bad, int first)
    {
        var keys = Enumerable.Range(1, 100).Select(i => new object?[] { (long)i }).ToList();
        var probes = 0;

        var found = await ValueMisfits.BisectAsync(keys, (a, b) =>
        {
            probes++;
            return Task.FromResult(keys.Skip(a).Take(b - a).Any(k => bad.Contains((int)(long)k[0]!)));
        });

        Assert.Equal((long)first, found![0]);
        // One probe of the whole range, then one per halving: bounded by log2 of the keys.
        Assert.True(probes <= 8, $"{probes} probes");
    }

    [Fact]
    public async Task A_range_whose_rows_all_fit_now_finds_no_key() =>
        Assert.Null(await ValueMisfits.BisectAsync(new List<object?[]> { new object?[] { 1L }, new object?[] { 2L } }, (_, _) => Task.FromResult(false)));

    [Theory]
    [InlineData("Data too long for column 'name' at row 500", "name")]
    [InlineData("Out of range value for column 'n' at row 1", "n")]
    [InlineData("Column 'v' cannot be null", "v")]
    [InlineData("Incorrect integer value: 'abc' for column `db1`.`_items_swap_new`.`code` at row 3", "code")]
    [InlineData("Data truncated for column 'kind' at row 2", "kind")]
    [InlineData("Some other words", null)]
    public void The_column_comes_from_the_servers_message(string message, string? column) =>
        Assert.Equal(column, MySqlDatabase.MisfitColumn(message));

    [Fact]
    public void A_long_text_key_shows_its_start_and_its_size()
    {
        var shown = KeyValues.Show([new string('x', 3000), 5L]);

        Assert.Equal("('" + new string('x', 32) + "'... (3000 bytes), 5)", shown);
    }

    [Fact]
    public void A_long_binary_key_shows_its_start_and_its_size() =>
        Assert.Equal("(0x" + new string('A', 64) + "... (1000 bytes))", KeyValues.Show([Enumerable.Repeat((byte)0xAA, 1000).ToArray()]));

    [Fact]
    public void A_long_key_is_not_cut_inside_a_character() =>
        // 'é' is two bytes in UTF-8: 16 of them fill the 32 bytes of the start.
        Assert.Equal("('" + new string('é', 16) + "'... (200 bytes))", KeyValues.Show([new string('é', 100)]));

    [Fact]
    public void A_short_key_is_shown_whole() =>
        Assert.Equal("('" + new string('k', 64) + "', 0x0102)", KeyValues.Show([new string('k', 64), new byte[] { 1, 2 }]));
}
