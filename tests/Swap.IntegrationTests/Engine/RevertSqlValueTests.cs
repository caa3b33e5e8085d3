using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// A swap that drops a NOT NULL column without a default keeps a revert window only with a value
/// for the rows inserted meanwhile. A C# script gives it with SetRevertValue; a SQL script with
/// '-- swap:revert-value column = sql'. The refusal used to give the C# advice to SQL scripts too,
/// which had no way to follow it.
/// </summary>
public class RevertSqlValueTests
{
    private const string CSharpDrop = """
        public sealed class DropNote : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var items = await db.UseTableForAlterAsync("items");
                items.DropColumn("note");
                await db.DoneUsingTablesAsync("items");
            }
        }
        """;

    private const string Refused =
        "a revert window cannot be kept for this swap: 'items': column 'note' is dropped and is NOT NULL without a default, so rows inserted while the window is open would have no value for it in the old table; ";

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task A_sql_script_is_told_of_the_directive_and_with_it_rows_inserted_during_the_window_come_back_with_its_value(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        await target.ExecuteAsync("ALTER TABLE items ADD COLUMN note VARCHAR(20) NOT NULL DEFAULT 'x'");
        await target.ExecuteAsync("ALTER TABLE items ALTER COLUMN note DROP DEFAULT");

        // A C# script is told of SetRevertValue.
        var cs = target.WriteFile("migrations/20260101000000_DropNote.cs", CSharpDrop);
        var csUp = await SwapCli.RunAsync(target, "up", "--revert-window", "1h");
        Assert.True(csUp.ExitCode == 7, csUp.ToString());
        Assert.Contains("DropNote: " + Refused + "give one with SetRevertValue(\"note\", \"<sql>\").", csUp.Err, StringComparison.Ordinal);
        File.Delete(cs);

        // A SQL script is told of the directive, not of a C# method.
        const string sqlFile = "migrations/20260101000000_drop_note.sql";
        target.WriteFile(sqlFile, "-- swap:online\nALTER TABLE items DROP COLUMN note;\n");
        var refused = await SwapCli.RunAsync(target, "up", "--revert-window", "1h");
        Assert.True(refused.ExitCode == 7, refused.ToString());
        Assert.Contains(
            "20260101000000_drop_note: " + Refused + "give one with a line '-- swap:revert-value note = <sql>' in the script (an SQL expression over the new table's row, for example: -- swap:revert-value note = '').",
            refused.Err,
            StringComparison.Ordinal);
        Assert.DoesNotContain("SetRevertValue", refused.Err, StringComparison.Ordinal);
        Assert.True(await RevertKit.HasColumnAsync(target, "note"));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "20260101000000_drop_note"));

        // With the directive the window opens, and a row inserted during it gets the value in the old table.
        target.WriteFile(sqlFile, "-- swap:online\n-- swap:revert-value note = 'new'\nALTER TABLE items DROP COLUMN note;\n");
        var up = await SwapCli.RunAsync(target, "up", "--revert-window", "1h");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.False(await RevertKit.HasColumnAsync(target, "note"));
        await target.ExecuteAsync("INSERT INTO items (id, k, v, n) VALUES (9001, 1, 'during', 0)");
        await target.ExecuteAsync("UPDATE items SET v = 'changed' WHERE id = 5");

        var revert = await SwapCli.RunAsync(target, "revert", "20260101000000_drop_note");

        Assert.True(revert.ExitCode == 0, revert.ToString());
        var notes = (await target.QueryAsync("SELECT id, v, note FROM items")).ToDictionary(r => r.Int64("id")!.Value, r => (V: r.String("v"), Note: r.String("note")));
        Assert.Equal(301, notes.Count);
        Assert.Equal(("during", "new"), notes[9001]);
        Assert.Equal(("changed", "x"), notes[5]);
        Assert.All(notes.Where(n => n.Key != 9001), n => Assert.Equal("x", n.Value.Note));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "20260101000000_drop_note"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task A_directive_that_names_a_column_or_table_the_script_does_not_change_is_refused_before_anything_runs(DatabaseEngine engine)
    {
        // Without a table, a misspelt column was silently unused (the refusal above followed, or a
        // window opened without the value meant); with one, a table the script does not alter.
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 50);
        await target.ExecuteAsync("ALTER TABLE items ADD COLUMN note VARCHAR(20) NOT NULL DEFAULT 'x'");
        const string sqlFile = "migrations/20260101000000_drop_note.sql";

        target.WriteFile(sqlFile, "-- swap:online\n-- swap:revert-value nte = 'new'\nALTER TABLE items DROP COLUMN note, ADD COLUMN stock INT NOT NULL DEFAULT 0;\n");
        var column = await SwapCli.RunAsync(target, "up", "--revert-window", "1h");
        Assert.True(column.ExitCode == 7, column.ToString());
        Assert.Contains(
            "20260101000000_drop_note.sql(2): -- swap:revert-value nte = 'new' names the column 'nte', which no ALTER TABLE of this script drops or changes; a revert value is for a column the script drops: check the name. Nothing was run.",
            column.Err,
            StringComparison.Ordinal);

        target.WriteFile(sqlFile, "-- swap:online\n-- swap:revert-value itemz.note = 'new'\nALTER TABLE items DROP COLUMN note;\n");
        var table = await SwapCli.RunAsync(target, "up", "--revert-window", "1h");
        Assert.True(table.ExitCode == 7, table.ToString());
        Assert.Contains(
            "20260101000000_drop_note.sql(2): -- swap:revert-value itemz.note = 'new' names the table 'itemz', which no ALTER TABLE of this script changes; name a table the script alters (or leave the table out). Nothing was run.",
            table.Err,
            StringComparison.Ordinal);

        Assert.True(await RevertKit.HasColumnAsync(target, "note"));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "20260101000000_drop_note"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));

        // The column named in any letter case, or quoted, is the column the script drops.
        target.WriteFile(sqlFile, "-- swap:online\n-- swap:revert-value NOTE = 'new'\nALTER TABLE items DROP COLUMN note;\n");
        var up = await SwapCli.RunAsync(target, "up", "--revert-window", "1h");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.False(await RevertKit.HasColumnAsync(target, "note"));
    }
}
