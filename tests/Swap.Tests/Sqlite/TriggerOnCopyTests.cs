using Swap.Sqlite;

namespace Swap.Tests.Sqlite;

public class TriggerOnCopyTests
{
    [Theory]
    [InlineData("CREATE TRIGGER trg AFTER UPDATE ON items BEGIN SELECT 1; END", "CREATE TRIGGER \"t1\" AFTER UPDATE ON \"_items_swap_new\" BEGIN SELECT 1; END")]
    [InlineData("create trigger if not exists \"my trg\" before update of a, \"b c\" on [items] for each row begin select new.a; end", "create trigger if not exists \"t1\" before update of a, \"b c\" on \"_items_swap_new\" for each row begin select new.a; end")]
    [InlineData("CREATE TRIGGER main.trg AFTER DELETE ON main.items WHEN old.id > 0 BEGIN SELECT 1; END", "CREATE TRIGGER main.\"t1\" AFTER DELETE ON main.\"_items_swap_new\" WHEN old.id > 0 BEGIN SELECT 1; END")]
    public void A_trigger_is_renamed_and_moved_onto_the_copy_and_nothing_else_changes(string definition, string expected) =>
        Assert.Equal(expected, SqliteTableEngine.OnCopy(definition, "t1", "_items_swap_new"));

    [Fact]
    public void A_definition_it_does_not_recognise_is_left_alone() =>
        Assert.Null(SqliteTableEngine.OnCopy("CREATE VIEW v AS SELECT 1", "t1", "c"));
}
