using Swap.IntegrationTests.Infrastructure;
using static Swap.IntegrationTests.BadInput.CatalogTarget;

namespace Swap.IntegrationTests.BadInput;

/// <summary>Bad migrations, through copy-and-swap scripts: scripts that throw, misuse the table API, cannot be loaded, cannot be reverted, or changed after they were applied.</summary>
public class MigrationCases
{
    [Fact]
    public async Task A_swap_script_that_throws_after_asking_for_a_table_fails_with_its_message()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        t.CSharp("20261120000000", "MigrateThrows", """
            var table = await db.UseTableForAlterAsync("items");
            table.AddColumn(DbColumn.Int("stock"));
            throw new InvalidOperationException("the price list is not loaded");
            """);

        var run = await t.RunAsync("up");

        AssertFails(run, 1, "error: MigrateThrows threw InvalidOperationException: the price list is not loaded\n");
        await t.AssertUnchangedAsync("MigrateThrows");
    }

    [Fact]
    public async Task A_swap_script_that_throws_before_any_change_fails_with_its_message()
    {
        await using var t = await CreateAsync(DatabaseEngine.MySql);
        t.CSharp("20261120000000", "MigrateNullRef", """
            string? name = db.ScriptId == "x" ? "items" : null;
            await db.UseTableForAlterAsync(name!.Trim());
            """);

        var run = await t.RunAsync("up");

        AssertFails(run, 1, "error: MigrateNullRef threw NullReferenceException: Object reference not set to an instance of an object.\n");
        await t.AssertUnchangedAsync("MigrateNullRef");
    }

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql)]
    [InlineData(DatabaseEngine.MySql)]
    public async Task Rows_a_script_writes_into_its_copy_stop_the_online_swap_instead_of_being_emptied_away(DatabaseEngine engine)
    {
        await using var t = await CreateAsync(engine);
        var before = await t.Target.CountAsync("items");
        t.CSharp("20261120000000", "MigrateOwnRows", """
            var copy = await db.UseTableAsync("items");
            await db.ExecuteAsync($"INSERT INTO {copy} (id, grp, name) VALUES (50, 5, 'added by the script')");
            await db.DoneUsingTablesAsync("items");
            """);

        var run = await t.RunAsync("up");

        AssertFails(run, 7, "the script wrote rows into the copy _items_swap_new of 'items' before DoneUsingTablesAsync. A copy is filled from the original, so those rows would be lost; nothing was swapped and the original is untouched.");
        Assert.Equal(before, await t.Target.CountAsync("items"));
        Assert.Equal(0, await t.Target.CountAsync("items", "id = 50"));
        var cleanup = await t.RunAsync("cleanup", "--script", "MigrateOwnRows");
        Assert.True(cleanup.Code == 0, cleanup.ToString());
        Assert.Empty(await Swap.IntegrationTests.Engine.EngineKit.LeftoversAsync(t.Target));
    }

    [Fact]
    public async Task Cleanup_works_from_the_journal_without_the_migrations_at_hand()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        t.CSharp("20261120000000", "MigrateOwnRows", """
            var copy = await db.UseTableAsync("items");
            await db.ExecuteAsync($"INSERT INTO {copy} (id, grp, name) VALUES (50, 5, 'added by the script')");
            await db.DoneUsingTablesAsync("items");
            """);
        AssertFails(await t.RunAsync("up"), 7, "the script wrote rows into the copy _items_swap_new of 'items'");
        Assert.Contains("table _items_swap_new", await Swap.IntegrationTests.Engine.EngineKit.LeftoversAsync(t.Target));
        // The operator runs it from another folder: no migrations folder, no swap.json, only --db.
        Directory.Delete(t.Migrations, recursive: true);

        var cleanup = await t.RunAsync("cleanup", "--script", "MigrateOwnRows");

        Assert.True(cleanup.Code == 0, cleanup.ToString());
        Assert.Contains("removed\ttable\t_items_swap_new", cleanup.Out, StringComparison.Ordinal);
        Assert.Empty(await Swap.IntegrationTests.Engine.EngineKit.LeftoversAsync(t.Target));
        var status = await t.RunAsync("status");
        Assert.Equal(2, status.Code);
        Assert.Contains("No migrations to work with", status.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_that_asks_for_a_table_and_never_swaps_it_in_is_invalid()
    {
        await using var t = await CreateAsync(DatabaseEngine.Sqlite);
        t.CSharp("20261120000000", "MigrateForgets", """
            var table = await db.UseTableForAlterAsync("items");
            table.AddColumn(DbColumn.Int("stock"));
            """);

        var run = await t.RunAsync("up");

        AssertFails(run, 6, "error: MigrateForgets asked for items but never called DoneUsingTablesAsync for it. Add 'await db.DoneUsingTablesAsync(\"items\");' at the end of UpAsync.");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task Swapping_in_a_table_the_script_did_not_ask_for_is_invalid()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        t.CSharp("20261120000000", "MigrateWrongDone", """
            var table = await db.UseTableForAlterAsync("items");
            table.AddColumn(DbColumn.Int("stock"));
            await db.DoneUsingTablesAsync("nokey");
            """);

        var run = await t.RunAsync("up");

        AssertFails(run, 6, "error: MigrateWrongDone: DoneUsingTablesAsync(\"nokey\") names a table the script did not ask for; call UseTableAsync or UseTableForAlterAsync first.");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_migration_without_a_parameterless_constructor_cannot_be_loaded()
    {
        await using var t = await CreateAsync(DatabaseEngine.MySql);
        var file = t.CSharp("20261120000000", "MigrateNeedsArgs", "await db.DoneUsingTablesAsync(\"items\");", "    public MigrateNeedsArgs(int rows) { }\n");

        var run = await t.RunAsync("up");

        AssertFails(run, 6, $"error: {file}(3): the migration MigrateNeedsArgs needs a public constructor without parameters.");
        Assert.Equal("", run.Out);
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task An_applied_swap_script_without_a_down_cannot_be_reverted()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        t.CSharp("20261120000000", "MigrateAddStock", """
            var table = await db.UseTableForAlterAsync("items");
            table.AddColumn(DbColumn.Int("stock").SetDefault(0));
            await db.DoneUsingTablesAsync("items");
            """);
        Assert.Equal(0, (await t.RunAsync("up")).Code);
        await t.RememberAsync();

        var run = await t.RunAsync("down");

        AssertFails(run, 7, "error: MigrateAddStock has no down, so it cannot be reverted; nothing was reverted. To make it revertible, override DownAsync; or undo it with a new forward migration.");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task An_applied_swap_script_edited_afterwards_is_refused_by_up()
    {
        await using var t = await CreateAsync(DatabaseEngine.Sqlite);
        var body = """
            var table = await db.UseTableForAlterAsync("items");
            table.AddColumn(DbColumn.Int("stock").SetDefault(0));
            await db.DoneUsingTablesAsync("items");
            """;
        var file = t.CSharp("20261120000000", "MigrateAddStock", body);
        Assert.Equal(0, (await t.RunAsync("up")).Code);
        await t.RememberAsync();
        t.CSharp("20261120000000", "MigrateAddStock", body.Replace("SetDefault(0)", "SetDefault(1)", StringComparison.Ordinal));
        t.Sql("20261130000000_later", "INSERT INTO items (id, grp, name) VALUES (9, 9, 'later');");

        var run = await t.RunAsync("up");

        AssertFails(run, 4, $"error: 1 applied script(s) changed since they were applied: MigrateAddStock ({file}). Applied scripts must not be edited: restore them and put the new change in a new script. If the edit is cosmetic, run again with --allow-changed.");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_sql_file_and_an_up_sql_file_with_the_same_id_are_refused()
    {
        await using var t = await CreateAsync(DatabaseEngine.MySql);
        var plain = t.Sql("20261120000000_stock", "ALTER TABLE items ADD COLUMN stock INT NULL;");
        var up = t.Write("20261120000000_stock.up.sql", "ALTER TABLE items ADD COLUMN stock INT NULL;");

        var run = await t.RunAsync("up");

        AssertFails(run, 6, $"error: '{up}' and '{plain}' both define the script 20261120000000_stock. Keep one.");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_down_file_without_its_up_script_is_refused()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        var down = t.Write("20261120000000_stock.down.sql", "ALTER TABLE items DROP COLUMN stock;");

        var run = await t.RunAsync("up");

        AssertFails(run, 6, $"error: '{down}' has no matching up script 20261120000000_stock.up.sql. Add it, or delete the down file.");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_subfolder_that_is_not_a_group_folder_is_refused()
    {
        await using var t = await CreateAsync(DatabaseEngine.Sqlite);
        t.Write("extra/20261120000000_stock.sql", "ALTER TABLE items ADD COLUMN stock INT NULL;");

        var run = await t.RunAsync("up");

        AssertFails(run, 6, $"error: The folder '{Path.Combine(t.Migrations, "extra")}' is not a migration group: group folders are named YYYY-MM-DD-name (for example 2026-11-21-user-roles). Rename it, or move it out of the migrations folder.");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_swap_script_that_depends_on_itself_is_refused()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        var file = t.CSharp("20261120000000", "MigrateSelf", "await db.DoneUsingTablesAsync(\"items\");", "    public MigrateSelf() => ExecuteAfter<MigrateSelf>();\n");

        var run = await t.RunAsync("up");

        AssertFails(run, 6, $"error: MigrateSelf ({file}) depends on itself. Remove that dependency.");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_sql_statement_the_server_rejects_is_named_with_its_file_and_line()
    {
        await using var t = await CreateAsync(DatabaseEngine.MySql);
        t.Sql("20261120000000_typo", "-- a typo the splitter cannot see\nUPDATE items SET nmae = 'z';\n");

        var run = await t.RunAsync("up");

        AssertFails(run, 1, "error: 20261120000000_typo: 20261120000000_typo.sql(2): UPDATE items SET nmae = 'z' failed: 1054: Unknown column 'nmae' in 'SET'.");
        await t.AssertUnchangedAsync("20261120000000_typo");
    }
}
