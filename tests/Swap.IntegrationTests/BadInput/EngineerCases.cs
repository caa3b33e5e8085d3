using Swap.IntegrationTests.Infrastructure;
using static Swap.IntegrationTests.BadInput.CatalogTarget;

namespace Swap.IntegrationTests.BadInput;

/// <summary>
/// Misuse of the table engineer in copy-and-swap scripts: each is refused (exit 7) before anything
/// is written, with a message that says what is wrong and what to do.
/// </summary>
public class EngineerCases
{
    private static async Task<Outcome> SwapAsync(CatalogTarget t, string name, string changes, string table = "items")
    {
        t.CSharp("20261120000000", name, $$"""
            var table = await db.UseTableForAlterAsync("{{table}}");
            {{changes}}
            await db.DoneUsingTablesAsync("{{table}}");
            """);
        return await t.RunAsync("up");
    }

    [Fact]
    public async Task An_unknown_column_is_named_with_the_columns_there_are()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        var run = await SwapAsync(t, "MigrateUnknownColumn", "table.GetColumn(\"nmae\").NotNull();");
        AssertFails(run, 7, "error: MigrateUnknownColumn: Table 'items' has no column 'nmae'. Its columns are: id, grp, name, note.\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_duplicate_column_is_refused()
    {
        await using var t = await CreateAsync(DatabaseEngine.MySql);
        var run = await SwapAsync(t, "MigrateDuplicateColumn", "table.AddColumn(DbColumn.String(\"Name\", 10));");
        AssertFails(run, 7, "error: MigrateDuplicateColumn: Table 'items' already has a column 'Name'. Pick another name, or change the existing column with GetColumn(\"Name\").\n");
        await t.AssertUnchangedAsync();
    }

    public static TheoryData<DatabaseEngine, string, string> MissingTypes => new()
    {
        { DatabaseEngine.MySql, "DbColumn.Interval(\"wait\")", "Store the interval as a number of seconds (BigInt) or microseconds." },
        { DatabaseEngine.PostgreSql, "DbColumn.UnsignedBigInt(\"big\")", "Use DbColumn.Decimal(name, 20, 0) for values above 2^63, or DbColumn.BigInt." },
        { DatabaseEngine.Sqlite, "DbColumn.Interval(\"wait\")", "Store the interval as a number of seconds (BigInt) or as ISO-8601 text." },
    };

    [Theory]
    [MemberData(nameof(MissingTypes))]
    public async Task A_type_the_engine_lacks_is_refused_with_what_to_use_instead(DatabaseEngine engine, string column, string advice)
    {
        await using var t = await CreateAsync(engine);
        var run = await SwapAsync(t, "MigrateMissingType", $"table.AddColumn({column});");
        AssertFails(run, 7, $"error: MigrateMissingType: Swap cannot change 'items' on {engine.ProductName()}: Column '");
        Assert.Contains(advice, run.Err, StringComparison.Ordinal);
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task An_index_on_a_missing_column_is_refused()
    {
        await using var t = await CreateAsync(DatabaseEngine.Sqlite);
        var run = await SwapAsync(t, "MigrateIndexMissing", "table.AddIndex(DbIndex.Create(\"grp\", \"colour\"));");
        AssertFails(run, 7, "error: MigrateIndexMissing: The index on 'colour' names a column table 'items' does not have. Its columns are: id, grp, name, note.\n");
        await t.AssertUnchangedAsync();
    }

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql)]
    [InlineData(DatabaseEngine.MySql)]
    [InlineData(DatabaseEngine.Sqlite)]
    public async Task A_unique_index_over_duplicate_data_is_refused_with_an_example(DatabaseEngine engine)
    {
        await using var t = await CreateAsync(engine);
        var run = await SwapAsync(t, "MigrateUniqueName", "table.AddIndex(DbIndex.Unique(\"name\"));");
        AssertFails(run, 7, "error: MigrateUniqueName: The new unique index 'ux_items_name' on (name) of 'items' would reject the current data: ('c') appears 2 times. Remove the duplicates first, or make the index non-unique. Nothing was changed.\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_new_not_null_column_without_a_value_is_refused()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        var run = await SwapAsync(t, "MigrateNotNullNoValue", "table.AddColumn(DbColumn.Int(\"stock\").NotNull());");
        AssertFails(run, 7, "error: MigrateNotNullNoValue: The new column 'stock' of 'items' is NOT NULL but has no default and no FillWith, so existing rows have no value for it. Add .SetDefault(...) or .FillWith(\"...\") (in a SQL script, a DEFAULT clause), or make it nullable.\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task Making_a_column_with_nulls_not_null_is_refused_with_the_count()
    {
        await using var t = await CreateAsync(DatabaseEngine.MySql);
        var run = await SwapAsync(t, "MigrateNoteNotNull", "table.GetColumn(\"note\").NotNull();");
        AssertFails(run, 7, "error: MigrateNoteNotNull: Column 'note' of 'items' would be NOT NULL, but 3 row(s) would get NULL in it. Give those rows a value with FillWith(\"COALESCE(...)\") (in a SQL script, an UPDATE in an earlier script), or keep the column nullable.\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task Dropping_a_primary_key_column_is_refused()
    {
        await using var t = await CreateAsync(DatabaseEngine.Sqlite);
        var run = await SwapAsync(t, "MigrateDropId", "table.DropColumn(\"id\");");
        AssertFails(run, 7, "error: MigrateDropId: Column 'id' is part of the primary key of 'items'; change the key first with SetPrimaryKey(...).\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task An_unknown_column_lists_the_tables_columns_apart_from_those_the_script_adds()
    {
        await using var t = await CreateAsync(DatabaseEngine.Sqlite);
        var run = await SwapAsync(t, "MigrateAddThenMisspell", "table.AddColumn(DbColumn.Int(\"stock\")); table.GetColumn(\"nmae\").NotNull();");
        AssertFails(run, 7, "error: MigrateAddThenMisspell: Table 'items' has no column 'nmae'. Its columns are: id, grp, name, note; this script adds stock.\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_sqlite_table_without_a_key_is_refused_with_a_fix_sqlite_can_do()
    {
        await using var t = await CreateAsync(DatabaseEngine.Sqlite);
        var run = await SwapAsync(t, "MigrateNoKey", "table.AddColumn(DbColumn.Int(\"c\"));", table: "nokey");
        // Its columns are all nullable (and it has no 'id'): a unique index cannot key it, only a rebuild can.
        AssertFails(run, 7, "error: MigrateNoKey: Table 'nokey' has no primary key and no unique key over NOT NULL columns. Swap needs one to copy the table in chunks and to capture updates and deletes. SQLite cannot add a primary key to an existing table, and none of its columns (a, b) is NOT NULL, so a unique index cannot key it either: rebuild the table with a primary key over columns whose values are unique (CREATE TABLE nokey_new (..., PRIMARY KEY (...)), copy the rows, drop nokey, rename nokey_new to nokey), then run again.\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_sqlite_table_without_a_key_is_told_which_of_its_columns_a_unique_index_could_key_it_by()
    {
        await using var t = await CreateAsync(DatabaseEngine.Sqlite);
        await t.Target.ExecuteAsync("CREATE TABLE tags (label TEXT NULL, code TEXT NOT NULL, rank INT NOT NULL)");
        await t.RememberAsync();
        var run = await SwapAsync(t, "MigrateNoKey", "table.AddColumn(DbColumn.Int(\"c\"));", table: "tags");
        AssertFails(run, 7, "error: MigrateNoKey: Table 'tags' has no primary key and no unique key over NOT NULL columns. Swap needs one to copy the table in chunks and to capture updates and deletes. SQLite cannot add a primary key to an existing table: if the values of a NOT NULL column (code, rank) are unique, add a unique index over it (for example CREATE UNIQUE INDEX tags_key ON tags (code)), or rebuild the table with a primary key over columns whose values are unique (CREATE TABLE tags_new (..., PRIMARY KEY (...)), copy the rows, drop tags, rename tags_new to tags), then run again.\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_table_without_a_key_is_refused()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        var run = await SwapAsync(t, "MigrateNoKey", "table.AddColumn(DbColumn.Int(\"c\"));", table: "nokey");
        AssertFails(run, 7, "error: MigrateNoKey: Table 'nokey' has no primary key and no unique key over NOT NULL columns. Swap needs one to copy the table in chunks and to capture updates and deletes. Add a primary key over a column (or columns) whose values are unique first (its columns are: a, b), for example ALTER TABLE nokey ADD PRIMARY KEY (a), then run again.\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_missing_table_is_named_with_the_target()
    {
        await using var t = await CreateAsync(DatabaseEngine.MySql);
        var run = await SwapAsync(t, "MigrateMissingTable", "table.AddColumn(DbColumn.Int(\"c\"));", table: "itemz");
        AssertFails(run, 7, $"error: MigrateMissingTable: table 'itemz' does not exist in mysql://swap:***@{t.Target.Url.Host}:{t.Target.Url.Port}/{t.Target.Name}. Check the name (and the schema or database in the URL).\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task Swaps_own_work_table_is_not_a_table_to_change()
    {
        await using var t = await CreateAsync(DatabaseEngine.Sqlite);
        var run = await SwapAsync(t, "MigrateWorkTable", "table.AddColumn(DbColumn.Int(\"c\"));", table: "_items_swap_new");
        AssertFails(run, 7, "error: MigrateWorkTable: '_items_swap_new' is one of Swap's own work tables; use the original table's name.\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_prefix_index_on_postgresql_is_refused()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        var run = await SwapAsync(t, "MigratePrefixIndex", "table.AddIndex(DbIndex.Create(\"name\").WithPrefix(\"name\", 3));");
        AssertFails(run, 7, "error: MigratePrefixIndex: Swap cannot change 'items' on PostgreSQL: Index 'ix_items_name' has a prefix length, which PostgreSQL does not have; index the whole column or an expression (left(col, n)) with plain SQL.\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_mysql_trigger_that_uses_a_dropped_column_is_refused_before_any_row_is_copied()
    {
        await using var t = await CreateAsync(DatabaseEngine.MySql);
        await t.Target.ExecuteAsync("CREATE TRIGGER items_audit BEFORE UPDATE ON items FOR EACH ROW SET NEW.note = UPPER(NEW.note)");
        var run = await SwapAsync(t, "MigrateTriggered", "table.DropColumn(\"note\").ForceCopy();");
        AssertFails(run, 7, "error: MigrateTriggered: Swap cannot change 'items' on MySQL/MariaDB: its trigger 'items_audit' cannot be recreated on the new table (Unknown column 'note' in 'NEW'). Swap moves a table's triggers to the new table at the cut-over. Change or drop the trigger first (for example with plain SQL in an earlier migration), or keep the columns it uses; nothing was changed.\n");
        await t.AssertUnchangedAsync();
    }

    /// <summary>PL/pgSQL resolves NEW.c only when the trigger fires, after the swap (or after PostgreSQL's own DROP COLUMN): refused before anything is written.</summary>
    [Fact]
    public async Task A_postgres_trigger_function_that_uses_a_dropped_column_is_refused_before_anything_is_written()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        await t.Target.ExecuteAsync("CREATE FUNCTION items_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.Note := upper(NEW.name); RETURN NEW; END $$");
        await t.Target.ExecuteAsync("CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION items_touch()");
        var run = await SwapAsync(t, "MigrateTriggered", "table.DropColumn(\"note\");");
        AssertFails(run, 7, "error: MigrateTriggered: Swap cannot change 'items' on PostgreSQL: Its trigger 'items_touch' runs a PL/pgSQL function that uses NEW.note or OLD.note, a column this change drops or renames; PostgreSQL resolves it only when the trigger fires, so every later write would fail (\"record \"new\" has no field\"). Change the function first (CREATE OR REPLACE FUNCTION in an earlier migration), or keep the column.\n");
        await t.AssertUnchangedAsync("MigrateTriggered");
        await t.Target.ExecuteAsync("UPDATE items SET name = 'q' WHERE id = 1");
        Assert.Equal(["Q"], await t.Target.ColumnAsync("SELECT note FROM items WHERE id = 1"));
    }

    /// <summary>SQLite resolves a trigger's columns only when it fires: the trigger is checked on the empty copy, in the one-transaction rebuild and online alike.</summary>
    [Theory]
    [InlineData("auto")]
    [InlineData("always")]
    public async Task A_sqlite_trigger_that_uses_a_dropped_column_is_refused_before_any_row_is_copied(string online)
    {
        await using var t = await CreateAsync(DatabaseEngine.Sqlite);
        await t.Target.ExecuteAsync("CREATE TABLE audit (note TEXT)");
        await t.Target.ExecuteAsync("CREATE TRIGGER items_audit AFTER UPDATE ON items BEGIN INSERT INTO audit VALUES (new.note); END");
        t.CSharp("20261120000000", "MigrateTriggered", """
            var table = await db.UseTableForAlterAsync("items");
            table.DropColumn("note").ForceCopy();
            await db.DoneUsingTablesAsync("items");
            """);

        var run = await t.RunAsync("up", "--sqlite-online", online);

        AssertFails(run, 7, "error: MigrateTriggered: Swap cannot change 'items' on SQLite: its trigger 'items_audit' would not work on the new table (SQLite Error 1: 'error in trigger items_audit: no such column: new.note'). Swap puts a table's triggers back on the new table at the cut-over. Change or drop the trigger first (for example with plain SQL in an earlier migration), or keep the columns it uses; nothing was changed.\n");
        Assert.DoesNotContain(await t.Target.TablesAsync(), n => n.Contains("_swap_", StringComparison.Ordinal));
        // Refused before anything was written: no history row for it.
        Assert.DoesNotContain(await t.Target.HistoryAsync(), h => h.ScriptId == "MigrateTriggered");
        await t.Target.ExecuteAsync("UPDATE items SET name = 'z' WHERE id = 1");
        Assert.Equal(["a-note-less row"], (await t.Target.ColumnAsync("SELECT COALESCE(note, 'a-note-less row') FROM audit")));
    }

    /// <summary>
    /// A trigger body that writes the table by name (here the column being dropped) resolves those
    /// columns only when it fires, after the swap: checked on the copy under the table's own name; a
    /// trigger that writes the columns kept is put back and works.
    /// </summary>
    [Theory]
    [InlineData("auto")]
    [InlineData("always")]
    public async Task A_sqlite_trigger_that_writes_a_dropped_column_of_its_table_is_refused_and_one_that_writes_kept_columns_is_kept(string online)
    {
        await using var t = await CreateAsync(DatabaseEngine.Sqlite);
        await t.Target.ExecuteAsync("CREATE TRIGGER items_touch AFTER UPDATE OF name ON items BEGIN UPDATE items SET note = 'touched' WHERE id = new.id; END");
        t.CSharp("20261120000000", "MigrateTriggered", """
            var table = await db.UseTableForAlterAsync("items");
            table.DropColumn("note").ForceCopy();
            await db.DoneUsingTablesAsync("items");
            """);

        var run = await t.RunAsync("up", "--sqlite-online", online);

        AssertFails(run, 7, "error: MigrateTriggered: Swap cannot change 'items' on SQLite: its trigger 'items_touch' would not work on the new table (SQLite Error 1: 'no such column: note'). Swap puts a table's triggers back on the new table at the cut-over. Change or drop the trigger first (for example with plain SQL in an earlier migration), or keep the columns it uses; nothing was changed.\n");
        Assert.DoesNotContain(await t.Target.TablesAsync(), n => n.Contains("_swap_", StringComparison.Ordinal));
        await t.Target.ExecuteAsync("UPDATE items SET name = 'z' WHERE id = 1");
        Assert.Equal(["touched"], await t.Target.ColumnAsync("SELECT note FROM items WHERE id = 1"));

        // The same trigger writing a kept column: swapped, put back on the new table, and it fires.
        await t.Target.ExecuteAsync("DROP TRIGGER items_touch");
        await t.Target.ExecuteAsync("CREATE TRIGGER items_touch AFTER UPDATE OF note ON items BEGIN UPDATE items SET name = upper(new.name) WHERE id = new.id; END");
        t.CSharp("20261120000001", "MigrateKept", """
            var table = await db.UseTableForAlterAsync("items");
            table.AddColumn(DbColumn.String("extra", 10).FillWith("'e'"));
            await db.DoneUsingTablesAsync("items");
            """);
        await t.Target.ExecuteAsync("DELETE FROM swap_history WHERE script_id = 'MigrateTriggered'");
        File.Delete(Directory.GetFiles(t.Migrations, "20261120000000_*").Single());

        var kept = await t.RunAsync("up", "--sqlite-online", online);

        Assert.True(kept.Code == 0, kept.ToString());
        await t.Target.ExecuteAsync("UPDATE items SET note = 'n', name = 'low' WHERE id = 1");
        Assert.Equal(["LOW|e"], await t.Target.ColumnAsync("SELECT name || '|' || extra FROM items WHERE id = 1"));
    }

    public static TheoryData<DatabaseEngine, string, string> BadFills => new()
    {
        { DatabaseEngine.PostgreSql, "no_such_function(grp)", "function no_such_function(integer) does not exist" },
        { DatabaseEngine.MySql, "CONCAT(grp, colour)", "Unknown column 'colour'" },
        { DatabaseEngine.Sqlite, "grp +* 2", "syntax error" },
    };

    [Theory]
    [MemberData(nameof(BadFills))]
    public async Task A_FillWith_the_engine_cannot_evaluate_is_refused_before_the_application_feels_it(DatabaseEngine engine, string fill, string reason)
    {
        await using var t = await CreateAsync(engine);
        var run = await SwapAsync(t, "MigrateBadFill", $"table.AddColumn(DbColumn.String(\"label\", 20).FillWith(\"{fill}\"));");
        AssertFails(run, 7, "error: MigrateBadFill: The FillWith expression of column 'label' of 'items' cannot be evaluated on the table: ");
        Assert.Contains(reason, run.Err, StringComparison.Ordinal);
        Assert.Contains("Fix the expression (SQL over the original row's columns); nothing was changed.", run.Err, StringComparison.Ordinal);
        await t.AssertUnchangedAsync();
        // No capture was left on the table to fail the application's writes.
        await t.Target.ExecuteAsync("INSERT INTO items (id, grp, name) VALUES (6, 4, 'f')");
    }
}
