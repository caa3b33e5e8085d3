using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Swap.Data;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Rehearsal;

/// <summary>What a rehearsal checks and measures besides the steps: the load's writes, the plan's promise, status after up.</summary>
public class RehearseChecksTests
{
    private const string CountUpdates = "CREATE TABLE hits (n INT)";

    [Fact]
    public async Task Sqlite_load_writes_to_the_staging_tables_and_each_write_it_reports_reached_the_table()
    {
        using var scratch = RehearsalKit.Migrations();
        var folder = scratch.Path;
        await using (var c = await RehearsalKit.SqliteAsync(Path.Combine(folder, "staging.db")))
        {
            await RehearsalKit.FillItemsAsync(c, 120);
            await c.ExecuteAsync(CountUpdates, default);
            await c.ExecuteAsync("CREATE TRIGGER items_hit AFTER UPDATE ON items BEGIN INSERT INTO hits VALUES (1); END", default);
        }

        var run = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", "sqlite:staging.db", "--report", "out", "--load", "40"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        long hits;
        await using (var c = await RehearsalKit.SqliteAsync(Path.Combine(folder, "staging.db")))
            hits = Convert.ToInt64(await c.ScalarAsync("SELECT COUNT(*) FROM hits", null, null, default), CultureInfo.InvariantCulture);
        AssertLoad(RehearsalKit.ReadJson(Path.Combine(folder, "out")), hits, scriptUpdates: 120);
        Assert.Contains("## Under load", File.ReadAllText(Path.Combine(folder, "out", "rehearsal.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MariaDb_load_writes_through_the_online_swap_and_each_write_it_reports_reached_the_table_once()
    {
        await using var staging = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await using (var c = await staging.OpenAsync())
        {
            await RehearsalKit.FillItemsAsync(c, 150);
            await c.ExecuteAsync(CountUpdates, default);
            // Moved to the new table at the cut-over; the copy's applier never fires it.
            await c.ExecuteAsync("CREATE TRIGGER items_hit AFTER UPDATE ON items FOR EACH ROW INSERT INTO hits VALUES (1)", default);
        }
        using var scratch = RehearsalKit.Migrations();

        var run = await SwapCli.RunRawAsync(scratch.Path, ["rehearse", "--on", staging.UrlText, "--report", "out", "--load", "50"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        long hits;
        await using (var c = await staging.OpenAsync())
            hits = Convert.ToInt64(await c.ScalarAsync("SELECT COUNT(*) FROM hits", null, null, default), CultureInfo.InvariantCulture);
        var report = RehearsalKit.ReadJson(Path.Combine(scratch.Path, "out"));
        AssertLoad(report, hits, scriptUpdates: 150);
        var swap = report.GetProperty("scripts")[1].GetProperty("steps")[0];
        Assert.Equal("online copy-and-swap", swap.GetProperty("method").GetString());
        // Writes captured during the copy and applied to it: at most the writes that succeeded.
        Assert.InRange(swap.GetProperty("logRowsApplied").GetInt64(), 0, hits - 150);
    }

    /// <summary>
    /// The writer wrote to items only (hits has no key), and the trigger counted each write the report
    /// says succeeded, plus the script's own UPDATE of every row: nothing reported was lost or invented.
    /// </summary>
    private static void AssertLoad(JsonElement report, long hits, int scriptUpdates)
    {
        var load = report.GetProperty("load");
        Assert.Equal(["items"], load.GetProperty("tables").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["hits: no one-column primary key"], load.GetProperty("skipped").EnumerateArray().Select(t => t.GetString()));
        // A span without writes (a short rehearsal) has no latency.
        int Count(string span, string what) => load.TryGetProperty(span, out var l) ? l.GetProperty(what).GetInt32() : 0;
        Assert.True(Count("baseline", "writes") > 0, load.ToString());
        var succeeded = Count("baseline", "writes") - Count("baseline", "failed") + Count("during", "writes") - Count("during", "failed");
        Assert.Equal(scriptUpdates + succeeded, hits);
        foreach (var step in report.GetProperty("scripts").EnumerateArray().SelectMany(s => s.GetProperty("steps").EnumerateArray()))
        {
            if (!step.TryGetProperty("load", out var l))
                continue;
            Assert.InRange(l.GetProperty("writes").GetInt32(), 1, Count("baseline", "writes") + Count("during", "writes"));
            Assert.True(l.GetProperty("p50Ms").GetDouble() <= l.GetProperty("p99Ms").GetDouble() && l.GetProperty("p99Ms").GetDouble() <= l.GetProperty("maxMs").GetDouble(), l.ToString());
        }
    }

    [Fact]
    public async Task A_staging_older_than_production_is_named_by_the_status_check_and_production_is_only_read()
    {
        using var scratch = RehearsalKit.Migrations();
        var folder = scratch.Path;
        foreach (var file in new[] { "prod.db", "staging.db" })
        {
            await using var c = await RehearsalKit.SqliteAsync(Path.Combine(folder, file));
            await RehearsalKit.FillItemsAsync(c, 20);
        }
        var up = await SwapCli.RunRawAsync(folder, ["up", "--db", "sqlite:" + Path.Combine(folder, "prod.db"), "--to", "20261201000000_add_note"]);
        Assert.True(up.ExitCode == 0, up.ToString());
        var prodBytes = await File.ReadAllBytesAsync(Path.Combine(folder, "prod.db"));

        var run = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", "sqlite:staging.db", "--db", "sqlite:prod.db", "--report", "out"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(prodBytes, await File.ReadAllBytesAsync(Path.Combine(folder, "prod.db")));
        var status = RehearsalKit.ReadJson(Path.Combine(folder, "out")).GetProperty("status");
        Assert.Equal("production's history", status.GetProperty("basis").GetString());
        Assert.Equal(
            ["20261201000000_add_note: ran on staging, but production's history has it applied already: staging is older than production"],
            status.GetProperty("differences").EnumerateArray().Select(d => d.GetString()));
        Assert.Contains("It differs from what `status` on production will be after `up`", File.ReadAllText(Path.Combine(folder, "out", "rehearsal.md")), StringComparison.Ordinal);

        // Production's 'up' will not run the script it has applied: its verdict and the projection say so.
        const string Verdict = "already applied in production: 'up' will not run it there (staging is older than production)";
        Assert.EndsWith("\t-\t" + Verdict, run.Out.Split('\n').Single(l => l.Contains("\t20261201000000_add_note\t", StringComparison.Ordinal)), StringComparison.Ordinal);
        var report = RehearsalKit.ReadJson(Path.Combine(folder, "out"));
        var scripts = report.GetProperty("scripts").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.Equal(Verdict, scripts["20261201000000_add_note"].GetProperty("verdict").GetString());
        Assert.False(scripts["20261201000000_add_note"].TryGetProperty("projectedDurationMs", out _));
        Assert.Equal(scripts["MigrateIndexNote"].GetProperty("projectedDurationMs").GetDouble(), report.GetProperty("projectedDurationMs").GetDouble());
        Assert.Contains("- **20261201000000_add_note**: " + Verdict, File.ReadAllText(Path.Combine(folder, "out", "rehearsal.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_a_table_a_later_script_changes_with_sql_is_not_compared_and_an_instant_change_is_reported_as_instant()
    {
        await using var staging = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await using (var c = await staging.OpenAsync())
            await RehearsalKit.FillItemsAsync(c, 30);
        using var scratch = RehearsalKit.Migrations();
        var folder = scratch.Path;
        // Without ForceCopy an added nullable column is a catalog-only change on PostgreSQL.
        File.WriteAllText(
            Path.Combine(folder, "migrations", "20261201000001_IndexNote.cs"),
            RehearsalKit.IndexNote.Replace("items.AddIndex(DbIndex.Create(\"note\"));", "items.AddColumn(DbColumn.Int(\"flag\"));", StringComparison.Ordinal).Replace("items.ForceCopy();", "", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(folder, "migrations", "20261201000002_later.sql"), "ALTER TABLE items ADD COLUMN extra INT;\n");

        var run = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", staging.UrlText, "--report", "out"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = RehearsalKit.ReadJson(Path.Combine(folder, "out"));
        var instant = Assert.Single(report.GetProperty("scripts")[1].GetProperty("steps").EnumerateArray());
        Assert.Equal(("instant", "instant"), (instant.GetProperty("op").GetString(), instant.GetProperty("method").GetString()));
        Assert.StartsWith("will change items instant: no copy, a bounded lock wait (", report.GetProperty("scripts")[1].GetProperty("verdict").GetString(), StringComparison.Ordinal);
        var check = Assert.Single(report.GetProperty("schemaChecks").EnumerateArray());
        Assert.Equal(("items", "MigrateIndexNote", "not compared"), (check.GetProperty("table").GetString(), check.GetProperty("script").GetString(), check.GetProperty("outcome").GetString()));
        Assert.Equal(["20261201000002_later changed it with its own SQL after the plan's promise"], check.GetProperty("differences").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(["id", "name", "note", "flag", "extra"], await staging.ColumnAsync("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'items' ORDER BY ordinal_position"));
    }
}

/// <summary>The HTML report as a browser shows it: Debian's Chromium, headless.</summary>
public class RehearsalHtmlInChromiumTests
{
    /// <summary>Measures the laid-out page in the browser and writes what it found into the DOM.</summary>
    private const string LayoutProbe = """
        <script>
        const rects = [...document.querySelectorAll('svg rect')];
        const svg = document.querySelector('svg').getBoundingClientRect();
        const found = {
          bars: rects.length,
          drawn: rects.filter(x => { const b = x.getBoundingClientRect(); return b.width > 0 && b.height > 0 && b.right <= svg.right + 1; }).length,
          headings: [...document.querySelectorAll('h2')].map(h => h.textContent),
          verdicts: [...document.querySelectorAll('ul.verdict li')].map(li => li.textContent),
          fetched: performance.getEntriesByType('resource').length,
          overflows: document.documentElement.scrollWidth > window.innerWidth,
        };
        const pre = document.createElement('pre');
        pre.id = 'layout-probe';
        pre.textContent = JSON.stringify(found);
        document.body.appendChild(pre);
        </script>
        """;

    [Fact]
    public async Task The_report_opens_in_headless_chromium_with_every_bar_of_the_timeline_drawn_and_nothing_fetched()
    {
        using var scratch = RehearsalKit.Migrations();
        var folder = scratch.Path;
        await using (var c = await RehearsalKit.SqliteAsync(Path.Combine(folder, "prod.db")))
            await RehearsalKit.FillItemsAsync(c, 200);
        var run = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", "sqlite:staging.db", "--clone-from", "sqlite:prod.db", "--db", "sqlite:prod.db", "--report", "out", "--load", "30"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var report = RehearsalKit.ReadJson(Path.Combine(folder, "out"));
        var html = File.ReadAllText(Path.Combine(folder, "out", "rehearsal.html"));
        var probed = Path.Combine(folder, "out", "probed.html");
        File.WriteAllText(probed, html.Replace("</body>", LayoutProbe + "</body>", StringComparison.Ordinal));

        var dom = await HeadlessChromium.DumpDomAsync(probed);

        var text = System.Text.RegularExpressions.Regex.Match(dom, "<pre id=\"layout-probe\">(.*?)</pre>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(text.Success, dom);
        var found = JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(text.Groups[1].Value)).RootElement;
        // One bar per phase of a swap, one per other step.
        var bars = report.GetProperty("scripts").EnumerateArray().SelectMany(s => s.GetProperty("steps").EnumerateArray()).Sum(st => Math.Max(1, st.GetProperty("phases").GetArrayLength()));
        Assert.True(bars > 3, report.ToString());
        Assert.Equal((bars, bars), (found.GetProperty("bars").GetInt32(), found.GetProperty("drawn").GetInt32()));
        Assert.Equal(
            ["Timeline", "20261201000000_add_note", "MigrateIndexNote", "Production tables (read only)", "What the projection rests on", "Under load", "Staging against the plan", "Verdict"],
            found.GetProperty("headings").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal(
            report.GetProperty("scripts").EnumerateArray().Select(s => $"{s.GetProperty("id").GetString()}: {s.GetProperty("verdict").GetString()}"),
            found.GetProperty("verdicts").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(0, found.GetProperty("fetched").GetInt32());
        Assert.False(found.GetProperty("overflows").GetBoolean(), "the page is wider than the window");

        var png = Path.Combine(folder, "out", "report.png");
        await HeadlessChromium.ScreenshotAsync(Path.Combine(folder, "out", "rehearsal.html"), png, 1100, 1500);
        var bytes = await File.ReadAllBytesAsync(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        // The IHDR chunk: width and height, big-endian.
        Assert.Equal((1100, 1500), (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))));
    }
}
