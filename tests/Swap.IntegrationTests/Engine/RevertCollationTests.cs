using Swap.Cli;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// MySQL/MariaDB keep a character set and collation per column. A change of either that the old
/// column cannot take back (a character of the new set the old one lacks; a unique index that the
/// new collation lets hold 'a' and 'A') is refused before the window opens, like a narrowing type
/// change: the window used to open, and the revert then failed on the application's writes (1366,
/// exit 1; or a forward swap's 'run swap up again' advice, exit 7).
/// </summary>
public class RevertCollationTests
{
    private static string Script(string change) => $$"""
        using Swap.Engine;

        public sealed class ChangeText : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var t = await db.UseTableForAlterAsync("txt");
                {{change}}
                await db.DoneUsingTablesAsync("txt");
            }
        }
        """;

    [Theory]
    [InlineData("""t.GetColumn("t").SetType(ColumnType.NativeType("varchar(40) character set utf8mb4"));""",
        "column 't' changes character set from latin1 to utf8mb4, and a character the application writes in utf8mb4 while the window is open may have no latin1 form in the old column 't'")]
    [InlineData("""t.GetColumn("w").SetType(ColumnType.NativeType("varchar(40) collate utf8mb4_bin"));""",
        "column 'w' changes collation from utf8mb4_unicode_ci to utf8mb4_bin, which may tell apart values (such as 'a' and 'A') that utf8mb4_unicode_ci takes as equal, so writes made while the window is open could break 'ux_w' in the old table")]
    public async Task A_character_set_or_unique_collation_the_old_column_cannot_take_back_refuses_the_window_and_changes_nothing(string change, string reason)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE txt (id BIGINT NOT NULL PRIMARY KEY, t VARCHAR(40) CHARACTER SET latin1 NOT NULL, w VARCHAR(40) COLLATE utf8mb4_unicode_ci NULL, UNIQUE KEY ux_w (w)) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO txt SELECT seq, CONCAT('t', seq), CONCAT('w', seq) FROM seq_1_to_300");
        EngineKit.WriteSwapScript(target, Script(change), "20260101000000_ChangeText.cs");

        var run = await SwapCli.RunAsync(target, "up", "--revert-window", "24h");

        Assert.True(run.ExitCode == ExitCodes.Refused, run.ToString());
        Assert.Contains("ChangeText: a revert window cannot be kept for this swap: 'txt': " + reason, run.Err, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed.", run.Err, StringComparison.Ordinal);
        Assert.Equal(["t varchar(40) latin1_swedish_ci", "w varchar(40) utf8mb4_unicode_ci"], await CollationsAsync(target));
        Assert.Equal(300L, System.Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM txt"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain(await EngineKit.LeftoversAsync(target), l => !l.Contains("journal", StringComparison.Ordinal));
        Assert.NotEqual("applied", await EngineKit.HistoryStatusAsync(target, "ChangeText"));
    }

    [Fact]
    public async Task A_character_set_the_old_column_holds_every_character_of_keeps_the_window_and_the_revert_brings_the_writes_back()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE txt (id BIGINT NOT NULL PRIMARY KEY, t VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL, w VARCHAR(40) COLLATE utf8mb4_bin NULL, UNIQUE KEY ux_w (w)) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO txt SELECT seq, CONCAT('t', seq), CONCAT('w', seq) FROM seq_1_to_300");
        EngineKit.WriteSwapScript(target, Script("""
            t.GetColumn("t").SetType(ColumnType.NativeType("varchar(40) character set latin1"));
            t.GetColumn("w").SetType(ColumnType.NativeType("varchar(40) collate utf8mb4_unicode_ci"));
            """), "20260101000000_ChangeText.cs");

        var up = await SwapCli.RunAsync(target, "up", "--revert-window", "24h");
        Assert.True(up.ExitCode == 0, up.ToString());
        await target.ExecuteAsync("INSERT INTO txt VALUES (301, 'caf\u00e9', 'Abc')");
        await target.ExecuteAsync("UPDATE txt SET t = 'na\u00efve' WHERE id = 5");
        var revert = await SwapCli.RunAsync(target, "revert", "ChangeText");

        Assert.True(revert.ExitCode == 0, revert.ToString());
        var rows = (await target.QueryAsync("SELECT id, t, w FROM txt WHERE id IN (5, 301) ORDER BY id")).Select(r => (r.Int64("id"), r.String("t"), r.String("w"))).ToList();
        Assert.Equal([(5L, "na\u00efve", "w5"), (301L, "caf\u00e9", "Abc")], rows);
        Assert.Equal(["t varchar(40) utf8mb4_general_ci", "w varchar(40) utf8mb4_bin"], await CollationsAsync(target));
    }

    private static async Task<List<string>> CollationsAsync(TestTarget target) =>
        (await target.QueryAsync("SELECT COLUMN_NAME, COLUMN_TYPE, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'txt' AND COLUMN_NAME IN ('t', 'w') ORDER BY COLUMN_NAME"))
            .Select(r => $"{r.String("COLUMN_NAME")} {r.String("COLUMN_TYPE")} {r.String("COLLATION_NAME")}").ToList();
}
