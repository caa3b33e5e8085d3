using System.Net;
using System.Text.Json;
using Swap.IntegrationTests.Control;
using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Web;

/// <summary>
/// <c>swap serve</c>'s JSON API on real databases: the token guards every read and action, a browser
/// session needs the CSRF header and its own origin for actions, <c>--read-only</c> has no action at
/// all, and the console's runs share the run lock and control rows with the CLI.
/// </summary>
public class ConsoleApiTests
{
    private const string CreateNotes = "CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, body VARCHAR(50) NULL);";

    [Fact]
    public async Task Head_of_the_page_and_of_every_read_answers_as_get_without_a_body()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        target.WriteFile("migrations/20250101000000_create_notes.sql", CreateNotes);
        var up = await SwapCli.RunAsync(target, "up");
        Assert.True(up.ExitCode == 0, up.ToString());
        target.WriteFile("migrations/20250102000000_add_author.sql", "ALTER TABLE notes ADD COLUMN author VARCHAR(50) NULL;");
        await using var console = await ConsoleHost.StartAsync(target);
        using var anonymous = console.Client(bearer: null);
        using var client = console.Client();

        async Task<HttpResponseMessage> Head(HttpClient c, string path) =>
            await c.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(path, UriKind.Relative)), HttpCompletionOption.ResponseHeadersRead);

        var page = await Head(anonymous, "/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType?.ToString());
        Assert.Equal("", await page.Content.ReadAsStringAsync());
        Assert.Contains("<html", await anonymous.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.OrdinalIgnoreCase);
        // HEAD takes the token as GET does.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Head(anonymous, "api/overview")).StatusCode);
        foreach (var read in new[] { "api/overview", "api/session", "api/live", "api/run", "api/events" })
        {
            var response = await Head(client, read);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"HEAD {read}: {response.StatusCode}");
            Assert.Equal(read == "api/events" ? "text/event-stream" : "application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            Assert.Equal("", await response.Content.ReadAsStringAsync());
        }
        // Reads run nothing: the second script stays pending.
        Assert.Null(await SqliteHistoryAsync(target, "20250102000000_add_author"));
    }

    [Fact]
    public async Task Every_api_request_needs_the_token_and_the_overview_shows_the_database_without_its_password()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        target.WriteFile("migrations/20250101000000_create_notes.sql", CreateNotes);
        target.WriteFile("migrations/20250102000000_add_author.sql", "ALTER TABLE notes ADD COLUMN author VARCHAR(50) NULL;");
        var up = await SwapCli.RunAsync(target, "up", "--steps", "1");
        Assert.True(up.ExitCode == 0, up.ToString());
        await using var console = await ConsoleHost.StartAsync(target);

        using var anonymous = console.Client(bearer: null);
        using var wrong = console.Client("not-the-token-at-all-0000");
        // The page itself is open (it holds no data); everything under /api is not.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        foreach (var client in new[] { anonymous, wrong })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("api/overview", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("api/live", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync(new Uri("api/actions/up", UriKind.Relative), ConsoleHost.Body(new { what = "all" }))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync(new Uri("api/actions/pause", UriKind.Relative), null)).StatusCode);
        }
        // Nothing ran: the second script is still pending, no command was recorded.
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "20250102000000_add_author"));
        Assert.Contains("Refused POST /api/actions/up from 127.0.0.1:", console.Output, StringComparison.Ordinal);

        using var client2 = console.Client();
        var response = await client2.GetAsync(new Uri("api/overview", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(target.Url.Password!, text, StringComparison.Ordinal);
        var overview = JsonDocument.Parse(text).RootElement;
        Assert.Contains(":***@", overview.GetProperty("target").GetString(), StringComparison.Ordinal);
        Assert.Equal("20250102000000_add_author", overview.GetProperty("next").GetString());
        var scripts = overview.GetProperty("scripts").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.Equal("applied", scripts["20250101000000_create_notes"].GetProperty("status").GetString());
        Assert.Equal(1, scripts["20250101000000_create_notes"].GetProperty("batch").GetInt32());
        Assert.True(scripts["20250101000000_create_notes"].TryGetProperty("durationMs", out _));
        Assert.Equal("pending", scripts["20250102000000_add_author"].GetProperty("status").GetString());
        Assert.Equal(1, overview.GetProperty("counts").GetProperty("pending").GetInt32());

        var session = await ConsoleHost.JsonAsync(await client2.GetAsync(new Uri("api/session", UriKind.Relative)));
        Assert.False(session.GetProperty("readOnly").GetBoolean());
        Assert.DoesNotContain(target.Url.Password!, session.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("up", session.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        // A bearer client gets no CSRF token: it needs none.
        Assert.False(session.TryGetProperty("csrf", out _));
        var plan = await ConsoleHost.JsonAsync(await client2.GetAsync(new Uri("api/plan?what=step", UriKind.Relative)));
        Assert.Equal("20250102000000_add_author", plan.GetProperty("scripts")[0].GetProperty("id").GetString());
        Assert.Contains("ADD COLUMN author", plan.GetProperty("scripts")[0].GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0, await console.StopAsync());
    }

    [Fact]
    public async Task A_browser_session_needs_the_csrf_header_and_its_own_origin_to_act()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        // The console serves an existing database; a SQLite file that is not there is refused (exit 5).
        await target.ExecuteAsync("PRAGMA user_version = 1");
        target.WriteFile("migrations/20250101000000_create_notes.sql", CreateNotes);
        await using var console = await ConsoleHost.StartAsync(target);
        var origin = console.Url.GetLeftPart(UriPartial.Authority);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = console.Url };

        async Task<HttpResponseMessage> Post(string path, object body, string? csrf, string? from)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = ConsoleHost.Body(body) };
            if (csrf is not null)
                request.Headers.Add("X-Swap-Csrf", csrf);
            if (from is not null)
                request.Headers.Add("Origin", from);
            return await browser.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await Post("api/login", new { token = "wrong-token-wrong-token" }, null, origin)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post("api/login", new { token = ConsoleHost.Token }, null, "http://evil.example")).StatusCode);
        Assert.Empty(cookies.GetCookies(console.Url));
        var login = await Post("api/login", new { token = ConsoleHost.Token }, null, origin);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var csrf = (await ConsoleHost.JsonAsync(login)).GetProperty("csrf").GetString()!;
        Assert.Contains("HttpOnly", login.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("SameSite=Strict", login.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);

        // Reads need the cookie only; the page learns the CSRF token from the session.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("api/overview", UriKind.Relative))).StatusCode);
        Assert.Equal(csrf, (await ConsoleHost.JsonAsync(await browser.GetAsync(new Uri("api/session", UriKind.Relative)))).GetProperty("csrf").GetString());

        // A forged request carries the cookie but not the header, or comes from another origin.
        Assert.Equal(HttpStatusCode.Forbidden, (await Post("api/actions/pause", new { }, null, origin)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post("api/actions/pause", new { }, "0123abcd", origin)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post("api/actions/up", new { what = "all" }, csrf, "http://evil.example")).StatusCode);
        Assert.Null(await SqliteHistoryAsync(target, "20250101000000_create_notes"));
        Assert.Equal(0L, await ControlRowsAsync(target));

        // The page's own request: recorded with who sent it (no swap runs, so the next one starts paused).
        var pause = await Post("api/actions/pause", new { wait = "0s" }, csrf, origin);
        Assert.Equal(HttpStatusCode.Accepted, pause.StatusCode);
        var sentBy = (await target.QueryAsync("SELECT sent_by FROM swap_control WHERE command = 'pause'")).Single().String("sent_by")!;
        Assert.Matches(@"^.+@.+ pid \d+ \(web console, 127\.0\.0\.1:\d+\)$", sentBy);
        // One space between the words when the action has no argument (was "Action pause  by").
        Assert.Matches(@"(?m)info: Action pause by 127\.0\.0\.1:\d+ at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", console.Output);
        Assert.Equal(HttpStatusCode.Accepted, (await Post("api/actions/resume", new { wait = "0s" }, csrf, origin)).StatusCode);
        // Cleanup runs as 'swap cleanup' does, under the run lock; here there is nothing to remove.
        Assert.Equal(HttpStatusCode.Accepted, (await Post("api/actions/cleanup", new { }, csrf, origin)).StatusCode);
        var cleanup = await console.WaitForRunAsync(browser);
        Assert.Equal("Nothing to clean up.", cleanup.GetProperty("summary").GetString());

        // Bad input: a clear message and the CLI's exit code, nothing done.
        var bad = await Post("api/actions/up", new { what = "everything" }, csrf, origin);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("step, group or all", (await ConsoleHost.JsonAsync(bad)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        // An empty body names nothing to apply: refused, not read as 'all'.
        var empty = await Post("api/actions/up", new { }, csrf, origin);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var emptyError = (await ConsoleHost.JsonAsync(empty)).GetProperty("error");
        Assert.Equal(2, emptyError.GetProperty("code").GetInt32());
        Assert.StartsWith("Say what to apply: 'what' is step, group or all", emptyError.GetProperty("message").GetString(), StringComparison.Ordinal);
        var cutOver = await Post("api/actions/cut-over", new { }, csrf, origin);
        Assert.Equal(HttpStatusCode.Conflict, cutOver.StatusCode);
        Assert.Equal(11, (await ConsoleHost.JsonAsync(cutOver)).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Null(await SqliteHistoryAsync(target, "20250101000000_create_notes"));
    }

    [Fact]
    public async Task Pause_and_resume_with_no_swap_running_are_recorded_and_answered_at_once()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await target.ExecuteAsync("PRAGMA user_version = 1");
        target.WriteFile("migrations/20250101000000_create_notes.sql", CreateNotes);
        await using var console = await ConsoleHost.StartAsync(target);
        using var client = console.Client();

        // The page sends no wait: as 'swap pause' does, the console does not wait for a swap that is not there (default 10s).
        foreach (var command in new[] { "pause", "resume" })
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var response = await client.PostAsync(new Uri("api/actions/" + command, UriKind.Relative), ConsoleHost.Body(new { }));
            clock.Stop();
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.False((await ConsoleHost.JsonAsync(response)).GetProperty("taken").GetBoolean());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{command} took {clock.Elapsed}");
        }
        Assert.Equal(["pause", "resume"], await target.ColumnAsync("SELECT command FROM swap_control ORDER BY sent_at"));
    }

    [Fact]
    public async Task Read_only_serves_the_data_and_no_action()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        // The console serves an existing database; a SQLite file that is not there is refused (exit 5).
        await target.ExecuteAsync("PRAGMA user_version = 1");
        target.WriteFile("migrations/20250101000000_create_notes.sql", CreateNotes);
        await using var console = await ConsoleHost.StartAsync(target, "--read-only");
        using var client = console.Client();

        var session = await ConsoleHost.JsonAsync(await client.GetAsync(new Uri("api/session", UriKind.Relative)));
        Assert.True(session.GetProperty("readOnly").GetBoolean());
        Assert.Empty(session.GetProperty("actions").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("api/overview", UriKind.Relative))).StatusCode);
        foreach (var action in new[] { "up", "pause", "resume", "set", "cut-over", "abort", "cleanup" })
        {
            var response = await client.PostAsync(new Uri("api/actions/" + action, UriKind.Relative), ConsoleHost.Body(new { what = "all" }));
            Assert.True(response.StatusCode is HttpStatusCode.NotFound, $"{action}: {response.StatusCode}");
            // As docs/web-console.md says of every error: { "error": { "kind", "message" } }, no code (the command line has no such case).
            var error = (await ConsoleHost.JsonAsync(response)).GetProperty("error");
            Assert.Equal("not-found", error.GetProperty("kind").GetString());
            Assert.Contains($"POST /api/actions/{action}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.False(error.TryGetProperty("code", out _));
        }
        var unknown = await client.GetAsync(new Uri("api/histroy", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("not-found", (await ConsoleHost.JsonAsync(unknown)).GetProperty("error").GetProperty("kind").GetString());
        // A read asked with the wrong method is 405 naming the method it takes, not "no such route".
        var posted = await client.PostAsync(new Uri("api/overview", UriKind.Relative), ConsoleHost.Body(new { what = "all" }));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, posted.StatusCode);
        Assert.Equal("GET", string.Join(",", posted.Content.Headers.Allow));
        var wrongMethod = (await ConsoleHost.JsonAsync(posted)).GetProperty("error");
        Assert.Equal("method-not-allowed", wrongMethod.GetProperty("kind").GetString());
        Assert.Equal("/api/overview takes GET, not POST.", wrongMethod.GetProperty("message").GetString());
        Assert.Null(await SqliteHistoryAsync(target, "20250101000000_create_notes"));
        Assert.Equal(0L, await ControlRowsAsync(target));
    }

    [Fact]
    public async Task Runs_from_the_console_and_the_cli_share_the_run_lock_and_the_control_rows()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await OperatorKit.ArrangeAsync(target);
        target.WriteFile("migrations/20250101000000_create_notes.sql", CreateNotes);
        await using var console = await ConsoleHost.StartAsync(target);
        using var client = console.Client();

        // The next step is the first script only.
        var started = await client.PostAsync(new Uri("api/actions/up", UriKind.Relative), ConsoleHost.Body(new { what = "step" }));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var run = await console.WaitForRunAsync(client);
        Assert.False(run.TryGetProperty("error", out _), run.ToString());
        Assert.StartsWith("Applied 1 script(s) as batch 1: 20250101000000_create_notes.", run.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "20250101000000_create_notes"));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.Equal(0L, await OperatorKit.CountAsync(target, "SELECT COUNT(*) FROM notes"));

        // A swap started from the CLI (paused before it starts, by the console) is visible here...
        var pause = await client.PostAsync(new Uri("api/actions/pause", UriKind.Relative), ConsoleHost.Body(new { wait = "0s" }));
        Assert.Equal(HttpStatusCode.Accepted, pause.StatusCode);
        using var runner = OperatorKit.StartUp(target);
        await OperatorKit.WaitForAsync(target, runner, s => s.Paused && s.Phase == "Copying", "paused in the copy");
        var live = (await ConsoleHost.JsonAsync(await client.GetAsync(new Uri("api/live", UriKind.Relative)))).GetProperty("live");
        Assert.True(live.GetProperty("running").GetBoolean());
        var swap = live.GetProperty("swaps")[0];
        Assert.Equal("MigrateItems", swap.GetProperty("scriptId").GetString());
        Assert.Equal(runner.Id, swap.GetProperty("pid").GetInt32());
        Assert.Contains("(web console, 127.0.0.1:", swap.GetProperty("pausedBy").GetString(), StringComparison.Ordinal);

        // ...the console cannot run beside it (the run lock)...
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync(new Uri("api/actions/up", UriKind.Relative), ConsoleHost.Body(new { what = "all" }))).StatusCode);
        run = await console.WaitForRunAsync(client);
        Assert.Equal(3, run.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("lock-held", run.GetProperty("error").GetProperty("kind").GetString());
        Assert.Equal("running", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));

        // ...and it steers it: resume from the console, the CLI's swap finishes.
        var resume = await client.PostAsync(new Uri("api/actions/resume", UriKind.Relative), ConsoleHost.Body(new { }));
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.StartsWith("resumed", (await ConsoleHost.JsonAsync(resume)).GetProperty("outcome").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await runner.WaitAsync(TimeSpan.FromMinutes(2)));
        OracleWriter.AssertMatches(EngineKit.InitialItems(OperatorKit.Rows), new HashSet<long>(), await EngineKit.ReadItemsAsync(target));
        var overview = await ConsoleHost.JsonAsync(await client.GetAsync(new Uri("api/overview", UriKind.Relative)));
        Assert.Equal(2, overview.GetProperty("counts").GetProperty("applied").GetInt32());
        Assert.Equal(0, overview.GetProperty("counts").GetProperty("pending").GetInt32());
    }

    [Fact]
    public async Task The_chart_of_a_script_run_again_after_an_abort_shows_the_new_run_alone()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await OperatorKit.ArrangeAsync(target);
        await using var console = await ConsoleHost.StartAsync(target);
        using var client = console.Client();
        await OperatorKit.Control(target).PauseAsync();
        using var first = OperatorKit.StartUp(target);
        await OperatorKit.WaitForAsync(target, first, s => s.Paused && s.Phase == "Copying", "paused in the copy");
        await LiveOfAsync(client, first.Id);
        var abort = await ChildSwap.RunAsync(target, "abort");
        Assert.True(abort.ExitCode == 0, abort.Output);
        Assert.Equal(10, await first.WaitAsync(TimeSpan.FromMinutes(1)));

        // The same script again (still paused): the chart was showing the aborted run's points before this one's.
        using var second = OperatorKit.StartUp(target);
        await OperatorKit.WaitForAsync(target, second, s => s.Paused && s.Phase == "Copying", "paused in the copy again");
        var live = await LiveOfAsync(client, second.Id);
        var startedAt = live.GetProperty("live").GetProperty("swaps")[0].GetProperty("startedAtUtc").GetDateTime();
        var samples = live.GetProperty("samples");
        Assert.Equal(["MigrateItems"], samples.EnumerateObject().Select(p => p.Name));
        var points = samples.GetProperty("MigrateItems").EnumerateArray().Select(p => p.GetProperty("at").GetDateTime()).ToList();
        Assert.NotEmpty(points);
        Assert.All(points, at => Assert.True(at >= startedAt, $"a point at {at:O} from before this run started at {startedAt:O}"));

        Assert.True((await ChildSwap.RunAsync(target, "abort")).ExitCode == 0);
        Assert.Equal(10, await second.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(EngineKit.InitialItems(OperatorKit.Rows).Values.OrderBy(r => r.Id).ToList(), await EngineKit.ReadItemsAsync(target, withFlag: false));
    }

    [Fact]
    public async Task The_chart_holds_the_seconds_of_a_swap_no_page_was_reading()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await OperatorKit.ArrangeAsync(target);
        await using var console = await ConsoleHost.StartAsync(target);
        using var client = console.Client();
        await OperatorKit.Control(target).PauseAsync();
        using var runner = OperatorKit.StartUp(target);
        await OperatorKit.WaitForAsync(target, runner, s => s.Paused && s.Phase == "Copying", "paused in the copy");

        // Nobody reads the console for a while; the page opened now charts those seconds too.
        await Task.Delay(TimeSpan.FromSeconds(6));
        var live = await ConsoleHost.JsonAsync(await client.GetAsync(new Uri("api/live", UriKind.Relative)));
        var points = live.GetProperty("samples").GetProperty("MigrateItems").EnumerateArray().Select(p => p.GetProperty("at").GetDateTime()).ToList();
        Assert.True(points.Count >= 3, $"{points.Count} point(s) for the seconds before the first read: {string.Join(", ", points.Select(p => p.ToString("O")))}");
        Assert.True(points[^1] - points[0] >= TimeSpan.FromSeconds(2), $"points from {points[0]:O} to {points[^1]:O}");

        Assert.True((await ChildSwap.RunAsync(target, "abort")).ExitCode == 0);
        Assert.Equal(10, await runner.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(EngineKit.InitialItems(OperatorKit.Rows).Values.OrderBy(r => r.Id).ToList(), await EngineKit.ReadItemsAsync(target, withFlag: false));
    }

    /// <summary>The console's <c>/api/live</c> once it shows the swap of the runner with <paramref name="pid"/>.</summary>
    private static async Task<JsonElement> LiveOfAsync(HttpClient client, int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var live = await ConsoleHost.JsonAsync(await client.GetAsync(new Uri("api/live", UriKind.Relative)));
            var swaps = live.GetProperty("live").GetProperty("swaps");
            if (swaps.GetArrayLength() == 1 && swaps[0].GetProperty("pid").GetInt32() == pid)
                return live;
            Assert.True(DateTime.UtcNow < deadline, $"The console never showed the swap of pid {pid}: {live}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task The_next_group_runs_as_one_and_a_postponed_cut_over_waits_for_its_release()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await OperatorKit.ArrangeAsync(target);
        target.WriteFile("migrations/2025-01-01-notes/a_create_notes.sql", CreateNotes);
        target.WriteFile("migrations/2025-01-01-notes/b_add_author.sql", "ALTER TABLE notes ADD COLUMN author VARCHAR(50) NULL;");
        await using var console = await ConsoleHost.StartAsync(target, OperatorKit.SmallChunks);
        using var client = console.Client();

        var plan = await ConsoleHost.JsonAsync(await client.GetAsync(new Uri("api/plan?what=group", UriKind.Relative)));
        Assert.Equal(2, plan.GetProperty("steps").GetInt32());
        var planned = plan.GetProperty("scripts").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToList();
        Assert.Equal(2, planned.Count);
        Assert.DoesNotContain("MigrateItems", planned);

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync(new Uri("api/actions/up", UriKind.Relative), ConsoleHost.Body(new { what = "group" }))).StatusCode);
        var run = await console.WaitForRunAsync(client);
        Assert.StartsWith("Applied 2 script(s) as batch 1:", run.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(1L, await OperatorKit.CountAsync(target, "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'author' AND table_schema = current_schema()"));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "MigrateItems"));

        // The swap with its cut-over postponed: it waits, the copy kept current, until the release.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync(new Uri("api/actions/up", UriKind.Relative), ConsoleHost.Body(new { what = "step", postponeCutOver = true }))).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var live = (await ConsoleHost.JsonAsync(await client.GetAsync(new Uri("api/live", UriKind.Relative)))).GetProperty("live");
            if (live.GetProperty("swaps").EnumerateArray().Any(s => s.GetProperty("postponed").GetBoolean() && s.GetProperty("phase").GetString() == "WaitingForCutOver"))
                break;
            Assert.True(DateTime.UtcNow < deadline, $"not waiting for the cut-over: {live}\n{console.Output}");
            await Task.Delay(100);
        }
        Assert.DoesNotContain("flag", await OperatorKit.ColumnsAsync(target));
        var release = await client.PostAsync(new Uri("api/actions/cut-over", UriKind.Relative), ConsoleHost.Body(new { }));
        Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        run = await console.WaitForRunAsync(client);
        Assert.StartsWith("Applied 1 script(s) as batch 2: MigrateItems.", run.GetProperty("summary").GetString(), StringComparison.Ordinal);
        OracleWriter.AssertMatches(EngineKit.InitialItems(OperatorKit.Rows), new HashSet<long>(), await EngineKit.ReadItemsAsync(target));
    }

    [Fact]
    public async Task Bad_serve_options_are_usage_errors_that_say_what_to_do()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        // The console serves an existing database; a SQLite file that is not there is refused (exit 5).
        await target.ExecuteAsync("PRAGMA user_version = 1");
        target.WriteFile("migrations/20250101000000_create_notes.sql", CreateNotes);
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var cases = new (string[] Args, string Message)[]
        {
            (["serve", "--listen", "localhost"], "--listen takes host:port"),
            (["serve", "--listen", "example.com:8080"], "--listen takes an IP address"),
            (["serve", "--token", "short"], "at least 16 characters"),
            (["serve", "--listen", $"127.0.0.1:{port}", "--token", ConsoleHost.Token], "cannot listen there"),
            // TEST-NET-1 (RFC 5737): well-formed, and never an address of this host.
            (["serve", "--listen", "192.0.2.1:8080", "--token", ConsoleHost.Token], "the address is not one of this host's"),
        };
        foreach (var (args, message) in cases)
        {
            var run = await SwapCli.RunAsync(target, args);
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Contains(message, run.Err, StringComparison.Ordinal);
        }
        // A database that is not there: the connection error's code, before anything listens.
        var missing = await SwapCli.RunRawAsync(target.Folder, ["--db", "sqlite:" + Path.Combine(target.Folder, "nope.db"), "serve", "--listen", "127.0.0.1:0"]);
        Assert.True(missing.ExitCode == 5, missing.ToString());
        Assert.DoesNotContain("Press Ctrl+C", missing.Out, StringComparison.Ordinal);
    }

    /// <summary>A script's history status on SQLite, null when it (or the history table) is not there.</summary>
    private static async Task<string?> SqliteHistoryAsync(TestTarget target, string id) =>
        (await target.QueryAsync("SELECT name FROM sqlite_master WHERE name = 'swap_history'")).Count == 0 ? null : await EngineKit.HistoryStatusAsync(target, id);

    private static async Task<long> ControlRowsAsync(TestTarget target)
    {
        var exists = await target.QueryAsync("SELECT name FROM sqlite_master WHERE name = 'swap_control'");
        return exists.Count == 0 ? 0 : await OperatorKit.CountAsync(target, "SELECT COUNT(*) FROM swap_control");
    }
}
