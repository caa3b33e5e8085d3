using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Swap.IntegrationTests.Control;
using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Swap.IntegrationTests.Web;

/// <summary>
/// The console in headless chromium, end to end on real databases: sign in, run the upgrade step by
/// step, watch a copy-and-swap's progress, pause and resume it from the page, and see the result in
/// the page and in the table. Each test saves screenshots of the pages it visits (docs/web-console.md
/// shows them).
/// </summary>
public class ConsoleBrowserTests
{
    /// <summary>Enough rows, in 10-row chunks, that the copy lasts long enough to watch and pause.</summary>
    private const int Rows = 12_000;

    /// <summary>The copied rows at which the test's throttle query holds the copy.</summary>
    private const int Gate = 3_000;

    [Fact]
    public async Task Step_by_step_upgrade_from_the_page_with_live_progress_pause_and_resume()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, Rows);
        EngineKit.WriteSwapScript(target);
        target.WriteFile("migrations/20250101000000_create_notes.sql", "CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, body VARCHAR(50) NULL);");
        // The copy is throttled once it holds 3,000 rows (the gate's row), so it stops part-way whatever
        // the machine's speed and however late the page shows progress; deleting the gate lets it go on.
        await target.ExecuteAsync("CREATE TABLE hold (at_rows INT NOT NULL PRIMARY KEY)");
        await target.ExecuteAsync($"INSERT INTO hold (at_rows) VALUES ({Gate})");
        await target.ExecuteAsync("""
            CREATE FUNCTION copied_rows() RETURNS bigint LANGUAGE plpgsql AS $$
            DECLARE n bigint;
            BEGIN
              IF to_regclass('_items_swap_new') IS NULL THEN RETURN 0; END IF;
              EXECUTE 'SELECT count(*) FROM _items_swap_new' INTO n;
              RETURN n;
            END $$
            """);
        await using var console = await ConsoleHost.StartAsync(target, "--chunk-size", "10", "--max-chunk-size", "10", "--throttle-query", "SELECT COUNT(*) FROM hold WHERE copied_rows() >= hold.at_rows");
        await using var browser = await ConsoleBrowser.LaunchAsync(target.Folder);
        var page = browser.Page;

        await browser.SignInAsync(console.Url, ConsoleHost.Token, shot: "console-sign-in");
        await Expect(page.GetByTestId("counts")).ToContainTextAsync("2 pending");
        await Expect(page.GetByTestId("next")).ToContainTextAsync("20250101000000_create_notes");
        await browser.ShotAsync("console-overview");

        // Step 1: the confirmation shows what plan says, then the SQL script runs alone.
        await page.GetByTestId("run-step").ClickAsync();
        await Expect(page.GetByTestId("confirm")).ToContainTextAsync("CREATE TABLE notes");
        await browser.ShotAsync("console-confirm-step", fullPage: false);
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Expect(page.GetByTestId("run-banner")).ToContainTextAsync("Applied 1 script(s) as batch 1: 20250101000000_create_notes.", new() { Timeout = 60_000 });
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "20250101000000_create_notes"));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.Equal(0L, await OperatorKit.CountAsync(target, "SELECT COUNT(*) FROM notes"));

        // Step 2: the swap. The page follows it live (server-sent events).
        await page.GotoAsync(console.Url + "#overview");
        await Expect(page.GetByTestId("status-20250101000000_create_notes")).ToHaveTextAsync("applied");
        await Expect(page.GetByTestId("next")).ToContainTextAsync("MigrateItems");
        await page.GetByTestId("run-step").ClickAsync();
        await Expect(page.GetByTestId("confirm")).ToContainTextAsync("MigrateItems");
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#live$"));
        var rows = page.GetByTestId("rows");
        await Expect(page.GetByTestId("throttle")).ToHaveTextAsync("throttled", new() { Timeout = 60_000 });
        await Expect(rows).ToHaveTextAsync(new Regex(@"^[1-9][\d,]* / ~"));
        var seen = Parse(await rows.TextContentAsync());
        Assert.InRange(seen, 1, Rows - 1);

        // Pause from the page: the copy stops part-way, the table is not swapped yet.
        await page.GetByTestId("pause").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Expect(page.GetByTestId("paused")).ToContainTextAsync("(web console, 127.0.0.1:");
        await Expect(page.GetByTestId("resume")).ToBeVisibleAsync();
        var paused = Parse(await rows.TextContentAsync());
        Assert.InRange(paused, seen, Rows - 1);
        Assert.InRange(await OperatorKit.CountAsync(target, "SELECT COUNT(*) FROM _items_swap_new"), Gate, Rows - 1);
        Assert.Equal("running", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.DoesNotContain("flag", await OperatorKit.ColumnsAsync(target));
        // The chart has the samples so far.
        await Expect(page.Locator("#chart polyline.pct")).ToHaveCountAsync(1);
        await browser.ShotAsync("console-live");

        // Resume from the page: the copy goes on from where it stopped, and the swap finishes.
        await target.ExecuteAsync("DELETE FROM hold");
        await page.GetByTestId("resume").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Expect(page.GetByTestId("run-banner")).ToContainTextAsync("Applied 1 script(s) as batch 2: MigrateItems.", new() { Timeout = 120_000 });
        await Expect(page.GetByTestId("live-empty")).ToBeVisibleAsync();
        await page.GotoAsync(console.Url + "#overview");
        await Expect(page.GetByTestId("status-MigrateItems")).ToHaveTextAsync("applied");
        await Expect(page.GetByTestId("next")).ToContainTextAsync("Nothing pending");
        await browser.ShotAsync("console-overview-after");

        // The table changed: every row kept, the new column filled.
        OracleWriter.AssertMatches(EngineKit.InitialItems(Rows), new HashSet<long>(), await EngineKit.ReadItemsAsync(target));
        var commands = await target.QueryAsync("SELECT command, sent_by, outcome FROM swap_control ORDER BY sent_at");
        Assert.Equal(["pause", "resume"], commands.Select(c => c.String("command")));
        Assert.All(commands, c => Assert.Contains("(web console, 127.0.0.1:", c.String("sent_by"), StringComparison.Ordinal));
        Assert.Matches(@"Action up step .*by 127\.0\.0\.1:\d+ at ", console.Output);
    }

    [Fact]
    public async Task A_read_only_console_shows_the_plan_and_the_latest_rehearsal_and_offers_no_action()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await target.ExecuteAsync("CREATE TABLE notes (id INTEGER NOT NULL PRIMARY KEY, body TEXT NULL)");
        await target.ExecuteAsync("INSERT INTO notes (id, body) VALUES (1, 'first'), (2, 'second')");
        target.WriteFile("migrations/20250101000000_add_author.sql", "ALTER TABLE notes ADD COLUMN author VARCHAR(50) NULL;\nCREATE INDEX notes_author ON notes (author);");
        target.WriteFile("migrations/20250102000000_add_tags.sql", "ALTER TABLE notes ADD COLUMN tags VARCHAR(200) NULL;");
        var staging = Path.Combine(target.Folder, "staging.db");
        var rehearse = await SwapCli.RunAsync(target, "rehearse", "--on", "sqlite:" + staging, "--clone-from", target.UrlText, "--report", Path.Combine(target.Folder, "swap-rehearsals", "20261201T090000Z"));
        Assert.True(rehearse.ExitCode == 0, rehearse.ToString());
        await using var console = await ConsoleHost.StartAsync(target, "--read-only");
        await using var browser = await ConsoleBrowser.LaunchAsync(target.Folder);
        var page = browser.Page;

        await browser.SignInAsync(console.Url, ConsoleHost.Token);
        await Expect(page.GetByTestId("counts")).ToContainTextAsync("2 pending");
        await Expect(page.GetByTestId("run-step")).ToBeHiddenAsync();
        await Expect(page.Locator("#target")).ToContainTextAsync("read-only");

        await page.GotoAsync(console.Url + "#plan");
        await Expect(page.GetByTestId("plan")).ToContainTextAsync("ALTER TABLE notes ADD COLUMN author VARCHAR(50) NULL");
        await Expect(page.GetByTestId("plan")).ToContainTextAsync("20250102000000_add_tags");
        await page.GetByTestId("plan-what").SelectOptionAsync("step");
        await Expect(page.GetByTestId("plan")).Not.ToContainTextAsync("20250102000000_add_tags");
        await browser.ShotAsync("console-plan");

        await page.GotoAsync(console.Url + "#rehearsal");
        await Expect(page.Locator("#rehearsal-summary")).ToContainTextAsync("every script ran");
        var report = page.FrameLocator("#rehearsal-frame");
        await Expect(report.Locator("body")).ToContainTextAsync("20250101000000_add_author");
        await browser.ShotAsync("console-rehearsal", fullPage: false);

        await page.GotoAsync(console.Url + "#live");
        await Expect(page.GetByTestId("live-empty")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("pause")).ToHaveCountAsync(0);
        // Nothing ran: production is as it was.
        Assert.Empty(await target.QueryAsync("SELECT name FROM sqlite_master WHERE name = 'swap_history'"));
        Assert.Equal(["id", "body"], await OperatorKit.ColumnsAsync(target, "notes"));
    }

    private static long Parse(string? rows) => long.Parse(rows!.Split('/')[0].Replace(",", "", StringComparison.Ordinal).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
