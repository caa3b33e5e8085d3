using System.Globalization;
using Swap.IntegrationTests.Infrastructure;
using static Swap.IntegrationTests.BadInput.CatalogTarget;

namespace Swap.IntegrationTests.BadInput;

/// <summary>
/// A script refused before it wrote anything leaves the history exactly as it was: no 'failed'
/// row for work that never started, and 'swap status' says what it said before. A failure after
/// work started is still recorded (the next 'up' resumes from it).
/// </summary>
public class RefusalHistoryCases
{
    private const string Refused = """
        var table = await db.UseTableForAlterAsync("itemz");
        table.AddColumn(DbColumn.Int("c"));
        await db.DoneUsingTablesAsync("itemz");
        """;

    /// <summary>Every column of every history row, as text.</summary>
    private static async Task<List<string>> HistoryRowsAsync(CatalogTarget t)
    {
        var rows = await t.Target.QueryAsync("SELECT * FROM swap_history ORDER BY script_id");
        return rows.Select(r => string.Join("|", r.Columns.Select(c => Convert.ToString(r[c], CultureInfo.InvariantCulture)))).ToList();
    }

    private static async Task<List<string>> JournalRowsAsync(CatalogTarget t) =>
        (await t.Target.QueryAsync("SELECT script_id, seq, state FROM swap_journal ORDER BY script_id, seq"))
            .Select(r => $"{r.String("script_id")}|{r.Int64("seq")}|{r.String("state")}").ToList();

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.MySql)]
    [InlineData(DatabaseEngine.PostgreSql)]
    public async Task A_refused_script_leaves_no_history_row_and_status_as_it_was(DatabaseEngine engine)
    {
        await using var t = await CreateAsync(engine);
        t.CSharp("20261120000000", "MigrateMissingTable", Refused);
        var history = await HistoryRowsAsync(t);
        var status = await t.RunAsync("status");
        Assert.True(status.Code == 0, status.ToString());

        var run = await t.RunAsync("up");

        AssertFails(run, 7, "error: MigrateMissingTable: table 'itemz' does not exist in ");
        Assert.Equal(history, await HistoryRowsAsync(t));
        Assert.Empty(await JournalRowsAsync(t));
        var after = await t.RunAsync("status");
        Assert.Equal(status, after);
        Assert.DoesNotContain("failed", after.Out, StringComparison.OrdinalIgnoreCase);
        await t.AssertUnchangedAsync();
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.MySql)]
    [InlineData(DatabaseEngine.PostgreSql)]
    public async Task A_refused_first_run_leaves_a_database_new_to_swap_without_swaps_tables(DatabaseEngine engine)
    {
        await using var t = await CreateNewToSwapAsync(engine);
        t.CSharp("20261120000000", "MigrateMissingTable", Refused);
        Assert.Equal(["items"], await t.TableNamesAsync());

        var run = await t.RunAsync("up");

        AssertFails(run, 7, "error: MigrateMissingTable: table 'itemz' does not exist in ");
        Assert.Equal(["items"], await t.TableNamesAsync());
        var rows = await t.Target.QueryAsync("SELECT id, note FROM items ORDER BY id");
        Assert.Equal(["1|", "2|x"], rows.Select(r => $"{r.Int64("id")}|{r.String("note")}").ToList());

        // An empty stub is refused before any script runs: nothing stays either. Then a good script
        // makes Swap's tables as on any first run.
        File.Delete(Path.Combine(t.Migrations, "20261120000000_MigrateMissingTable.cs"));
        t.Sql("20261121000000_stub", "-- the change goes here\n");
        AssertFails(await t.RunAsync("up"), 6, "20261121000000_stub");
        Assert.Equal(["items"], await t.TableNamesAsync());
        t.Sql("20261121000000_stub", "UPDATE items SET note = 'y' WHERE id = 1;");
        var good = await t.RunAsync("up");
        Assert.True(good.Code == 0, good.ToString());
        Assert.Contains("swap_history", await t.TableNamesAsync());
        Assert.Equal("applied", (await t.Target.ScalarAsync("SELECT status FROM swap_history WHERE script_id = '20261121000000_stub'"))?.ToString()?.ToLowerInvariant());
    }

    [Fact]
    public async Task A_refused_first_run_on_a_sqlite_file_that_did_not_exist_leaves_no_file()
    {
        await using var t = await CreateNewToSwapAsync(DatabaseEngine.Sqlite);
        var db = Path.Combine(t.Target.Folder, "typo.db");
        t.CSharp("20261120000000", "MigrateMissingTable", Refused);

        var run = await t.RunRawAsync(["--db", "sqlite://" + db, "up"]);

        AssertFails(run, 7, $"error: MigrateMissingTable: table 'itemz' does not exist in sqlite:{db}.");
        // Only the run lock's file stays beside where the database would be.
        Assert.Equal(["typo.db.swap-lock"], Directory.EnumerateFiles(t.Target.Folder, "typo.db*").Select(Path.GetFileName));

        // An empty stub (refused before any script runs): the same. A good script then makes the file.
        File.Delete(Path.Combine(t.Migrations, "20261120000000_MigrateMissingTable.cs"));
        t.Sql("20261121000000_stub", "-- the change goes here\n");
        AssertFails(await t.RunRawAsync(["--db", "sqlite://" + db, "up"]), 6, "20261121000000_stub");
        Assert.False(File.Exists(db));
        t.Sql("20261121000000_stub", "CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY);");
        var good = await t.RunRawAsync(["--db", "sqlite://" + db, "up"]);
        Assert.True(good.Code == 0, good.ToString());
        Assert.True(File.Exists(db));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.MySql)]
    [InlineData(DatabaseEngine.PostgreSql)]
    public async Task Verbs_with_nothing_to_act_on_leave_a_database_new_to_swap_without_swaps_tables(DatabaseEngine engine)
    {
        await using var t = await CreateNewToSwapAsync(engine);
        t.Sql("20261120000000_note", "UPDATE items SET note = 'y' WHERE id = 1;\n-- swap:down\nUPDATE items SET note = NULL WHERE id = 1;\n");
        const string unknown = "error: 'x' is not a known script id: neither the migrations nor the history have it. No script has an open revert window; 'swap status' lists the scripts and their windows. Nothing was changed.";
        const string noWindow = "error: 20261120000000_note has no open revert window (no script has one).";
        (string[] Args, int Code, string Said)[] verbs =
        [
            (["down"], 0, "Nothing to revert: no script is applied."),
            (["cleanup"], 0, "Nothing to clean up."),
            (["cleanup", "--script", "x"], 2, "error: 'x' has no history or journal here; 'swap status' lists the scripts."),
            (["sync"], 0, "History is in sync: every recorded script exists."),
            (["revert", "x"], 2, unknown),
            (["finish", "x"], 2, unknown),
            (["revert", "20261120000000_note"], 2, noWindow),
            (["finish", "20261120000000_note"], 2, noWindow),
        ];
        foreach (var (args, code, said) in verbs)
        {
            var run = await t.RunAsync(args);

            Assert.True(run.Code == code, $"swap {string.Join(' ', args)}: {run}");
            Assert.Contains(said, run.Out + run.Err, StringComparison.Ordinal);
            Assert.True((await t.TableNamesAsync()).SequenceEqual(["items"]), $"swap {string.Join(' ', args)} left: {string.Join(", ", await t.TableNamesAsync())}");
        }

        // Tables that were there before a run stay, even with no row left in them.
        var up = await t.RunAsync("up");
        Assert.True(up.Code == 0, up.ToString());
        var tables = await t.TableNamesAsync();
        Assert.Contains("swap_history", tables);
        Assert.Contains("swap_lock", tables);
        Assert.Equal(0, (await t.RunAsync("down")).Code);
        Assert.Equal(0, (await t.RunAsync("sync")).Code);
        Assert.Equal(0, (await t.RunAsync("cleanup")).Code);
        Assert.Equal(tables, await t.TableNamesAsync());
        Assert.Empty(await HistoryRowsAsync(t));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.MySql)]
    [InlineData(DatabaseEngine.PostgreSql)]
    public async Task A_refused_down_leaves_the_script_applied_and_status_as_it_was(DatabaseEngine engine)
    {
        await using var t = await CreateAsync(engine);
        const string up = "ALTER TABLE items ADD COLUMN stock INT NULL;\n-- swap:down\n";
        t.Sql("20261120000000_stock", up + "ALTER TABLE items DROP COLUMN stock;\n");
        var applied = await t.RunAsync("up");
        Assert.True(applied.Code == 0, applied.ToString());
        await t.RememberAsync();

        var notNull = engine == DatabaseEngine.MySql
            ? "ALTER TABLE items MODIFY note VARCHAR(50) NOT NULL;"
            : "ALTER TABLE items ALTER COLUMN note SET NOT NULL;";
        (string Down, int Code, string Message)[] refusals =
        [
            // Journaled (no transaction) on every engine: a refused swap step must leave no journal row either.
            ("-- swap:no-transaction\n-- swap:online\n" + notNull + "\n", 7, "Column 'note' of 'items' would be NOT NULL, but 3 row(s) would get NULL in it."),
            ("-- swap:online\nALTER TABLE itemz DROP COLUMN stock;\n", 7, "error: 20261120000000_stock: table 'itemz' does not exist in "),
            ("UPDATE items SET note = 'oops WHERE id = 1;\n", 6, "20261120000000_stock.sql(3): a string literal opened on line 3 is never closed."),
        ];
        foreach (var (down, code, message) in refusals)
        {
            t.Sql("20261120000000_stock", up + down);
            var history = await HistoryRowsAsync(t);
            var journal = await JournalRowsAsync(t);
            // A script that cannot be read stops every verb, 'status' too (exit 6): the same before and after.
            var status = await t.RunAsync("status");
            Assert.True(status.Code == (code == 6 ? 6 : 0), status.ToString());

            var run = await t.RunAsync("down");

            AssertFails(run, code, message);
            Assert.Equal(history, await HistoryRowsAsync(t));
            Assert.Equal(journal, await JournalRowsAsync(t));
            Assert.Equal(status, await t.RunAsync("status"));
            await t.AssertUnchangedAsync();
        }

        // A C# down refused by the table API: the same.
        t.Sql("20261120000000_stock", up + "ALTER TABLE items DROP COLUMN stock;\n");
        t.CSharp("20261121000000", "MigrateLater", "await db.ExecuteAsync(\"UPDATE items SET note = 'later' WHERE id = 2\");", """
                public override async Task DownAsync(MigrationContext db)
                {
                    var table = await db.UseTableForAlterAsync("itemz");
                    table.AddColumn(DbColumn.Int("c"));
                    await db.DoneUsingTablesAsync("itemz");
                }
            """);
        var later = await t.RunAsync("up");
        Assert.True(later.Code == 0, later.ToString());
        await t.RememberAsync();
        var before = await HistoryRowsAsync(t);
        var statusBefore = await t.RunAsync("status");

        var refused = await t.RunAsync("down");

        AssertFails(refused, 7, "error: MigrateLater: table 'itemz' does not exist in ");
        Assert.Equal(before, await HistoryRowsAsync(t));
        Assert.Equal(statusBefore, await t.RunAsync("status"));
        Assert.Contains(before, h => h.StartsWith("MigrateLater|", StringComparison.Ordinal) && h.Contains("|applied|", StringComparison.Ordinal));
        await t.AssertUnchangedAsync();
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.MySql)]
    public async Task A_refusal_after_an_earlier_failure_leaves_that_failure_as_it_was(DatabaseEngine engine)
    {
        await using var t = await CreateAsync(engine);
        t.CSharp("20261120000000", "MigrateLater", """throw new InvalidOperationException("not yet");""");
        var failed = await t.RunAsync("up");
        AssertFails(failed, 1, "error: MigrateLater threw InvalidOperationException: not yet\n");
        var history = await HistoryRowsAsync(t);
        Assert.Contains(history, h => h.StartsWith("MigrateLater|", StringComparison.Ordinal) && h.Contains("|failed|", StringComparison.Ordinal));

        t.CSharp("20261120000000", "MigrateLater", Refused);
        var run = await t.RunAsync("up", "--allow-changed");

        AssertFails(run, 7, "error: MigrateLater: table 'itemz' does not exist in ");
        Assert.Equal(history, await HistoryRowsAsync(t));
    }

    [Fact]
    public async Task A_refusal_after_a_journaled_step_is_recorded_as_failed_to_resume_from()
    {
        // MariaDB commits each statement: the UPDATE stays, so the history must say the script stopped half-way.
        await using var t = await CreateAsync(DatabaseEngine.MySql);
        t.CSharp("20261120000000", "MigrateHalfway", """
            await db.ExecuteAsync("UPDATE items SET note = 'z' WHERE id = 1");
            var table = await db.UseTableForAlterAsync("itemz");
            table.AddColumn(DbColumn.Int("c"));
            await db.DoneUsingTablesAsync("itemz");
            """);

        var run = await t.RunAsync("up");

        AssertFails(run, 7, "MigrateHalfway had finished 1 earlier step(s) before this one, and they stay applied");
        Assert.Equal(["MigrateHalfway|failed"], (await t.Target.HistoryAsync()).Where(h => h.ScriptId == "MigrateHalfway").Select(h => $"{h.ScriptId}|{h.Status}"));
        Assert.Equal(["MigrateHalfway|1|done"], await JournalRowsAsync(t));
    }
}
