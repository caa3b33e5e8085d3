using System.Text.Json;
using Swap.Data;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Rehearsal;

public class RehearseTests
{
    [Fact]
    public async Task Sqlite_clone_made_by_swap_runs_every_script_on_staging_projects_from_production_and_leaves_production_as_it_was()
    {
        using var scratch = RehearsalKit.Migrations();
        var folder = scratch.Path;
        var production = Path.Combine(folder, "prod.db");
        var staging = Path.Combine(folder, "staging.db");
        await using (var c = await RehearsalKit.SqliteAsync(production))
            await RehearsalKit.FillItemsAsync(c, 250);
        List<string> before;
        await using (var c = await RehearsalKit.SqliteAsync(production))
            before = await RehearsalKit.SnapshotAsync(c, DatabaseEngine.Sqlite);
        var bytesBefore = await File.ReadAllBytesAsync(production);

        var run = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", "sqlite:staging.db", "--clone-from", "sqlite:prod.db", "--db", "sqlite:prod.db", "--report", "out"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        await using (var c = await RehearsalKit.SqliteAsync(staging))
        {
            Assert.Equal(["20261201000000_add_note:applied", "MigrateIndexNote:applied"], await RehearsalKit.HistoryAsync(c));
            Assert.Equal(250L, await c.ScalarAsync("SELECT COUNT(*) FROM items WHERE note = 'n'", null, null, default));
            Assert.NotNull(await c.ScalarAsync("SELECT 1 FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items' AND sql LIKE '%note%'", null, null, default));
        }
        await using (var c = await RehearsalKit.SqliteAsync(production))
            Assert.Equal(before, await RehearsalKit.SnapshotAsync(c, DatabaseEngine.Sqlite));
        Assert.Equal(bytesBefore, await File.ReadAllBytesAsync(production));

        var report = RehearsalKit.ReadJson(Path.Combine(folder, "out"));
        Assert.Equal(["20261201000000_add_note:applied", "MigrateIndexNote:applied"], RehearsalKit.Ids(report));
        Assert.Equal("sqlite:" + production, report.GetProperty("clonedFrom").GetString());
        Assert.Equal(0, report.GetProperty("exitCode").GetInt32());
        var scripts = report.GetProperty("scripts").EnumerateArray().ToList();
        var sqlSteps = scripts[0].GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["SQL in the script's transaction", "SQL in the script's transaction"], sqlSteps.Select(s => s.GetProperty("method").GetString()));
        Assert.Equal("statement scaled by items: 250 production rows / 250 staging rows = x1", sqlSteps[1].GetProperty("projectionBasis").GetString());
        Assert.StartsWith("will run in one transaction (", scripts[0].GetProperty("verdict").GetString(), StringComparison.Ordinal);
        var swap = Assert.Single(scripts[1].GetProperty("steps").EnumerateArray());
        Assert.Equal(("swap", "table rebuild in one transaction", 250L), (swap.GetProperty("op").GetString(), swap.GetProperty("method").GetString(), swap.GetProperty("rowsCopied").GetInt64()));
        Assert.Equal(["items"], swap.GetProperty("tables").EnumerateArray().Select(t => t.GetString()));
        Assert.False(swap.TryGetProperty("logRowsApplied", out _), "a rebuild in one transaction captures nothing");
        Assert.Contains("Copying", swap.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("phase").GetString()));
        Assert.True(Assert.Single(swap.GetProperty("cutOverAttempts").EnumerateArray()).GetProperty("succeeded").GetBoolean());
        Assert.StartsWith("will rebuild items in one transaction; other writers wait for it (", scripts[1].GetProperty("verdict").GetString(), StringComparison.Ordinal);
        var table = Assert.Single(report.GetProperty("productionTables").EnumerateArray());
        Assert.Equal(("items", 250L, "count", 250L), (table.GetProperty("table").GetString(), table.GetProperty("rows").GetInt64(), table.GetProperty("rowsBasis").GetString(), table.GetProperty("stagingRows").GetInt64()));
        Assert.True(report.TryGetProperty("projectedDurationMs", out _));
        Assert.NotEmpty(report.GetProperty("projectionNotes").EnumerateArray());
        RehearsalKit.AssertAsPlannedAndAsProductionWillBe(report, "production's history");

        var html = File.ReadAllText(Path.Combine(folder, "out", "rehearsal.html"));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.Contains("## Verdict", File.ReadAllText(Path.Combine(folder, "out", "rehearsal.md")), StringComparison.Ordinal);
        Assert.Equal("Report: " + Path.Combine(folder, "out", "rehearsal.html"), run.OutLines[^1]);
    }

    [Fact]
    public async Task Postgres_clone_made_by_swap_with_a_read_only_production_user_creates_nothing_in_production_and_changes_nothing()
    {
        var pg = RehearsalKit.Postgres;
        var source = UniqueName.Next("rsrc");
        var stagingDb = UniqueName.Next("rstg");
        var role = UniqueName.Next("rro");
        const string rolePassword = "ro-Secret-pw-91x";
        using var scratch = RehearsalKit.Migrations();
        var folder = scratch.Path;
        await pg.CreateDatabaseAsync(source);
        try
        {
            await using (var c = await pg.OpenAsync(source))
            {
                await RehearsalKit.FillItemsAsync(c, 300);
                // PostgreSQL 15 gives PUBLIC no CREATE on schema public; the role can only read.
                await c.ExecuteAsync($"CREATE ROLE \"{role}\" LOGIN PASSWORD '{rolePassword}'; GRANT CONNECT ON DATABASE \"{source}\" TO \"{role}\"; GRANT USAGE ON SCHEMA public TO \"{role}\"; GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"{role}\"", default);
            }
            List<string> before;
            await using (var c = await pg.OpenAsync(source))
                before = await RehearsalKit.SnapshotAsync(c, DatabaseEngine.PostgreSql);

            var run = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", pg.Url(stagingDb), "--clone-from", pg.Url(source), "--db", pg.Url(source, role, rolePassword), "--report", "out"]);

            Assert.True(run.ExitCode == 0, run.ToString());
            await using (var c = await pg.OpenAsync(stagingDb))
            {
                Assert.Equal(["20261201000000_add_note:applied", "MigrateIndexNote:applied"], await RehearsalKit.HistoryAsync(c));
                Assert.Equal(300L, await c.ScalarAsync("SELECT COUNT(*) FROM items WHERE note = 'n'", null, null, default));
                Assert.Equal(1L, await c.ScalarAsync("SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'items' AND indexdef LIKE '%(note)%'", null, null, default));
            }
            await using (var c = await pg.OpenAsync(source))
            {
                Assert.Equal(before, await RehearsalKit.SnapshotAsync(c, DatabaseEngine.PostgreSql));
                Assert.Equal(0L, await c.ScalarAsync("SELECT COUNT(*) FROM pg_class WHERE relname LIKE 'swap%' OR relname LIKE '\\_%swap%'", null, null, default));
            }

            var report = RehearsalKit.ReadJson(Path.Combine(folder, "out"));
            Assert.Equal(["20261201000000_add_note:applied", "MigrateIndexNote:applied"], RehearsalKit.Ids(report));
            var swap = Assert.Single(report.GetProperty("scripts")[1].GetProperty("steps").EnumerateArray());
            Assert.Equal(("online copy-and-swap", 300L, 0L), (swap.GetProperty("method").GetString(), swap.GetProperty("rowsCopied").GetInt64(), swap.GetProperty("logRowsApplied").GetInt64()));
            Assert.True(swap.GetProperty("cutOverAttempts").EnumerateArray().Last().GetProperty("succeeded").GetBoolean());
            Assert.Matches("^will run online; needs a lock of [0-9,]+ ms at cut-over", report.GetProperty("scripts")[1].GetProperty("verdict").GetString());
            var table = Assert.Single(report.GetProperty("productionTables").EnumerateArray());
            Assert.Equal(("items", 300L, "count"), (table.GetProperty("table").GetString(), table.GetProperty("rows").GetInt64(), table.GetProperty("rowsBasis").GetString()));
            Assert.True(table.GetProperty("tableBytes").GetInt64() > 0);
            Assert.StartsWith("copy, index build and verification scaled by items: 300 production rows / 300 staging rows", swap.GetProperty("projectionBasis").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("PostgreSQL", report.GetProperty("productionVersion").GetString(), StringComparison.Ordinal);
            RehearsalKit.AssertAsPlannedAndAsProductionWillBe(report, "production's history");

            var text = RehearsalKit.AllReportText(Path.Combine(folder, "out")) + run.All;
            Assert.DoesNotContain(rolePassword, text, StringComparison.Ordinal);
            Assert.DoesNotContain(pg.Server.Password!, text, StringComparison.Ordinal);
        }
        finally
        {
            await pg.DropAsync(stagingDb);
            await pg.DropAsync(source);
            await pg.ExecuteAsync($"DROP ROLE IF EXISTS \"{role}\"");
        }
    }

    [Fact]
    public async Task Postgres_clone_is_refused_naming_the_sessions_connected_to_the_source_and_creates_nothing()
    {
        var pg = RehearsalKit.Postgres;
        var source = UniqueName.Next("rsrc");
        var stagingDb = UniqueName.Next("rstg");
        using var scratch = RehearsalKit.Migrations();
        var folder = scratch.Path;
        await pg.CreateDatabaseAsync(source);
        try
        {
            await using var holder = await pg.OpenAsync(source);
            await RehearsalKit.FillItemsAsync(holder, 10);
            var pid = await holder.ScalarAsync("SELECT pg_backend_pid()", null, null, default);

            var run = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", pg.Url(stagingDb), "--clone-from", pg.Url(source)]);

            Assert.True(run.ExitCode == 7, run.ToString());
            Assert.Contains($"needs nobody connected to '{source}', and 1 session(s) are: pid {pid} user {pg.Server.User} application 'swap'", run.Err, StringComparison.Ordinal);
            Assert.False(await pg.DatabaseExistsAsync(stagingDb));
            Assert.False(Directory.Exists(Path.Combine(folder, "swap-rehearsals")));
            Assert.Equal(10L, await holder.ScalarAsync("SELECT COUNT(*) FROM items", null, null, default));
            Assert.DoesNotContain(pg.Server.Password!, run.All, StringComparison.Ordinal);
        }
        finally
        {
            await pg.DropAsync(stagingDb);
            await pg.DropAsync(source);
        }
    }

    [Fact]
    public async Task Postgres_clone_from_a_database_that_does_not_exist_is_exit_5_as_for_on_and_creates_nothing()
    {
        var pg = RehearsalKit.Postgres;
        var source = UniqueName.Next("rsrc");
        var stagingDb = UniqueName.Next("rstg");
        using var scratch = RehearsalKit.Migrations();
        try
        {
            var run = await SwapCli.RunRawAsync(scratch.Path, ["rehearse", "--on", pg.Url(stagingDb), "--clone-from", pg.Url(source)]);

            Assert.True(run.ExitCode == 5, run.ToString());
            Assert.Contains($"the database '{source}' does not exist. Check the database name of the database to copy.", run.Err, StringComparison.Ordinal);
            Assert.False(await pg.DatabaseExistsAsync(stagingDb));
            Assert.False(Directory.Exists(Path.Combine(scratch.Path, "swap-rehearsals")));
        }
        finally
        {
            await pg.DropAsync(stagingDb);
        }
    }

    [Fact]
    public async Task MariaDb_with_a_given_staging_url_rehearses_online_and_leaves_production_as_it_was()
    {
        await using var staging = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await using var production = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        foreach (var target in new[] { staging, production })
        {
            await using var c = await target.OpenAsync();
            await RehearsalKit.FillItemsAsync(c, 200);
        }
        List<string> before;
        await using (var c = await production.OpenAsync())
            before = await RehearsalKit.SnapshotAsync(c, DatabaseEngine.MySql);
        using var scratch = RehearsalKit.Migrations();
        var folder = scratch.Path;

        var run = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", staging.UrlText, "--db", production.UrlText, "--report", "out"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        await using (var c = await staging.OpenAsync())
        {
            Assert.Equal(["20261201000000_add_note:applied", "MigrateIndexNote:applied"], await RehearsalKit.HistoryAsync(c));
            Assert.Equal(200L, Convert.ToInt64(await c.ScalarAsync("SELECT COUNT(*) FROM items WHERE note = 'n'", null, null, default), System.Globalization.CultureInfo.InvariantCulture));
        }
        await using (var c = await production.OpenAsync())
            Assert.Equal(before, await RehearsalKit.SnapshotAsync(c, DatabaseEngine.MySql));

        var report = RehearsalKit.ReadJson(Path.Combine(folder, "out"));
        var scripts = report.GetProperty("scripts").EnumerateArray().ToList();
        Assert.Equal(["plain SQL (journaled step)", "plain SQL (journaled step)"], scripts[0].GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("method").GetString()));
        Assert.StartsWith("will run as plain SQL statements (", scripts[0].GetProperty("verdict").GetString(), StringComparison.Ordinal);
        var swap = Assert.Single(scripts[1].GetProperty("steps").EnumerateArray());
        Assert.Equal(("online copy-and-swap", 200L), (swap.GetProperty("method").GetString(), swap.GetProperty("rowsCopied").GetInt64()));
        Assert.Matches("^will run online; needs a lock of [0-9,]+ ms at cut-over", scripts[1].GetProperty("verdict").GetString());
        Assert.Equal(["items"], report.GetProperty("productionTables").EnumerateArray().Select(t => t.GetProperty("table").GetString()));
        RehearsalKit.AssertAsPlannedAndAsProductionWillBe(report, "production's history");
        Assert.DoesNotContain(TestServers.MySql.Password!, RehearsalKit.AllReportText(Path.Combine(folder, "out")) + run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Always_copy_rehearses_the_copy_production_will_make_of_a_change_the_engine_could_make_in_place()
    {
        // Production runs 'up --always-copy' (or --revert-window, which copies too): the rehearsal must
        // be able to copy as well, not report an in-place change that production will not make.
        await using var staging = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await using (var c = await staging.OpenAsync())
            await RehearsalKit.FillItemsAsync(c, 200);
        using var scratch = new Scratch(Directory.CreateTempSubdirectory("swap-rehearse-").FullName);
        Directory.CreateDirectory(Path.Combine(scratch.Path, "migrations"));
        File.WriteAllText(Path.Combine(scratch.Path, "migrations", "20261201000000_add_flag.sql"), "-- swap:online\nALTER TABLE items ADD COLUMN flag VARCHAR(10) NOT NULL DEFAULT 'none';\n");

        var run = await SwapCli.RunRawAsync(scratch.Path, ["rehearse", "--on", staging.UrlText, "--always-copy", "--report", "out"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var script = Assert.Single(RehearsalKit.ReadJson(Path.Combine(scratch.Path, "out")).GetProperty("scripts").EnumerateArray());
        var swap = Assert.Single(script.GetProperty("steps").EnumerateArray());
        Assert.Equal(("online copy-and-swap", 200L), (swap.GetProperty("method").GetString(), swap.GetProperty("rowsCopied").GetInt64()));
        Assert.Matches("^will run online; needs a lock of [0-9,]+ ms at cut-over", script.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task MariaDb_clone_is_refused_with_give_a_staging_url()
    {
        await using var production = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        using var scratch = RehearsalKit.Migrations();
        var folder = scratch.Path;
        var stagingUrl = production.UrlText.Replace(production.Name, production.Name + "_stg", StringComparison.Ordinal);

        var run = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", stagingUrl, "--clone-from", production.UrlText]);

        Assert.True(run.ExitCode == 7, run.ToString());
        Assert.Contains("Give a staging URL", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("swap_history", await production.TablesAsync());
    }

    [Fact]
    public async Task A_refused_script_ends_the_rehearsal_with_its_verdict_and_exit_code_and_the_rest_is_not_run()
    {
        using var scratch = RehearsalKit.Migrations();
        var folder = scratch.Path;
        File.WriteAllText(Path.Combine(folder, "migrations", "20261201000001_IndexNote.cs"), RehearsalKit.IndexNote.Replace("\"items\"", "\"nokey\"", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(folder, "migrations", "20261201000002_later.sql"), "CREATE TABLE later (id INT NOT NULL PRIMARY KEY);\n");
        await using (var c = await RehearsalKit.SqliteAsync(Path.Combine(folder, "staging.db")))
        {
            await RehearsalKit.FillItemsAsync(c, 5);
            await c.ExecuteAsync("CREATE TABLE nokey (name VARCHAR(50), note VARCHAR(50))", default);
        }

        await using (var c = await RehearsalKit.SqliteAsync(Path.Combine(folder, "production.db")))
        {
            await RehearsalKit.FillItemsAsync(c, 5);
            await c.ExecuteAsync("CREATE TABLE nokey (name VARCHAR(50), note VARCHAR(50))", default);
        }

        var run = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", "sqlite:staging.db", "--db", "sqlite:production.db", "--report", "out", "--json"]);

        Assert.True(run.ExitCode == 7, run.ToString());
        var printed = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal(["rehearsal.md", "rehearsal.json", "rehearsal.html"], printed.GetProperty("files").EnumerateArray().Select(f => Path.GetFileName(f.GetString())));
        Assert.Equal(7, printed.GetProperty("report").GetProperty("exitCode").GetInt32());
        var report = RehearsalKit.ReadJson(Path.Combine(folder, "out"));
        Assert.Equal(["20261201000000_add_note:applied", "MigrateIndexNote:refused", "20261201000002_later:not-run"], RehearsalKit.Ids(report));
        Assert.Equal(7, report.GetProperty("exitCode").GetInt32());
        var refused = report.GetProperty("scripts")[1];
        Assert.Equal("Refused", refused.GetProperty("errorKind").GetString());
        Assert.Equal("refused because " + refused.GetProperty("error").GetString(), refused.GetProperty("verdict").GetString());
        Assert.Contains("nokey", refused.GetProperty("error").GetString(), StringComparison.Ordinal);
        // Production would refuse it too: no duration is projected for it, as none is for the script not run.
        Assert.True(report.GetProperty("scripts")[0].TryGetProperty("projectedDurationMs", out _));
        Assert.False(refused.TryGetProperty("projectedDurationMs", out _));
        Assert.Equal("not rehearsed: an earlier script failed", report.GetProperty("scripts")[2].GetProperty("verdict").GetString());
        await using (var c = await RehearsalKit.SqliteAsync(Path.Combine(folder, "staging.db")))
            Assert.Equal(["20261201000000_add_note:applied"], await RehearsalKit.HistoryAsync(c)); // refused before it wrote anything: no history row
        // 'up' on production forgets a refusal that wrote nothing, as it did on staging: pending on both, no difference.
        var status = report.GetProperty("status");
        Assert.Equal(["20261201000000_add_note: applied", "MigrateIndexNote: pending", "20261201000002_later: pending"], status.GetProperty("staging").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(status.GetProperty("differences").EnumerateArray());
    }

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql)]
    [InlineData(DatabaseEngine.MySql)]
    [InlineData(DatabaseEngine.Sqlite)]
    public async Task Production_under_another_name_is_refused_as_staging_and_stays_untouched(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await target.ExecuteAsync("CREATE TABLE items (id INT NOT NULL PRIMARY KEY)");
        target.Sql("20261201000000_drop_items", "DROP TABLE items;");
        var production = target.UrlText;
        string staging;
        if (engine == DatabaseEngine.Sqlite)
        {
            var link = Path.Combine(target.Folder, "staging-link.db");
            File.CreateSymbolicLink(link, target.Url.Database);
            staging = "sqlite:" + link;
        }
        else
        {
            staging = production.Replace("@127.0.0.1:", "@localhost:", StringComparison.Ordinal);
            Assert.NotEqual(production, staging);
        }

        var run = await SwapCli.RunRawAsync(target.Folder, ["rehearse", "--on", staging, "--db", production]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("reaches the production database (--db", run.Err, StringComparison.Ordinal);
        Assert.Equal(0L, Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM items")));
        Assert.Empty(await target.HistoryIdsAsync());
    }

    [Fact]
    public async Task Bad_input_is_refused_with_its_exit_code_before_anything_is_written()
    {
        using var scratch = RehearsalKit.Migrations();
        var folder = scratch.Path;
        await using (var c = await RehearsalKit.SqliteAsync(Path.Combine(folder, "prod.db")))
            await RehearsalKit.FillItemsAsync(c, 3);
        await using (var c = await RehearsalKit.SqliteAsync(Path.Combine(folder, "staging.db")))
            await c.ExecuteAsync("CREATE TABLE other (id INT NOT NULL PRIMARY KEY)", default);
        var prodBytes = await File.ReadAllBytesAsync(Path.Combine(folder, "prod.db"));
        var stagingBytes = await File.ReadAllBytesAsync(Path.Combine(folder, "staging.db"));

        var missingOn = await SwapCli.RunRawAsync(folder, ["rehearse", "--db", "sqlite:prod.db"]);
        Assert.True(missingOn.ExitCode == 2, missingOn.ToString());
        Assert.Contains("--on", missingOn.Err, StringComparison.Ordinal);

        var onProduction = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", "sqlite:prod.db", "--db", "sqlite:./prod.db"]);
        Assert.True(onProduction.ExitCode == 2, onProduction.ToString());
        Assert.Contains("is the production database (--db)", onProduction.Err, StringComparison.Ordinal);

        // A hard link is the same file under another name, which no path comparison sees.
        using (var ln = System.Diagnostics.Process.Start("ln", [Path.Combine(folder, "prod.db"), Path.Combine(folder, "hard-link.db")]))
        {
            await ln.WaitForExitAsync();
            Assert.Equal(0, ln.ExitCode);
        }
        var onHardLink = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", "sqlite:hard-link.db", "--db", "sqlite:prod.db"]);
        Assert.True(onHardLink.ExitCode == 2, onHardLink.ToString());
        Assert.Contains("hard-link.db reaches the production database (--db sqlite:", onHardLink.Err, StringComparison.Ordinal);
        File.Delete(Path.Combine(folder, "hard-link.db"));

        var cloneOver = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", "sqlite:staging.db", "--clone-from", "sqlite:prod.db"]);
        Assert.True(cloneOver.ExitCode == 7, cloneOver.ToString());
        Assert.Contains("the file exists already; a clone never overwrites a database", cloneOver.Err, StringComparison.Ordinal);

        foreach (var rate in new[] { "0", "20000" })
        {
            var badLoad = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", "sqlite:staging.db", "--load", rate]);
            Assert.True(badLoad.ExitCode == 2, badLoad.ToString());
            Assert.Contains($"--load {rate}: give the writes per second of the load, more than 0 and at most 10,000.", badLoad.Err, StringComparison.Ordinal);
        }

        var missingStaging = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", "sqlite:nowhere.db"]);
        Assert.True(missingStaging.ExitCode == 5, missingStaging.ToString());
        Assert.False(File.Exists(Path.Combine(folder, "nowhere.db")));

        // docs/cli.md: a SQLite file that does not exist is exit 5, the clone's source as much as --on.
        var missingSource = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", "sqlite:fresh.db", "--clone-from", "sqlite:nosource.db"]);
        Assert.True(missingSource.ExitCode == 5, missingSource.ToString());
        Assert.Contains("--clone-from sqlite:", missingSource.Err, StringComparison.Ordinal);
        Assert.Contains("nosource.db: the SQLite file does not exist. Check the path of the database to copy.", missingSource.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "fresh.db")));
        Assert.False(File.Exists(Path.Combine(folder, "nosource.db")));

        var unreachable = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", "postgres://swap:Unreach-pw-3@127.0.0.1:1/staging?connect_timeout=2"]);
        Assert.True(unreachable.ExitCode == 5, unreachable.ToString());
        Assert.DoesNotContain("Unreach-pw-3", unreachable.All, StringComparison.Ordinal);

        var otherEngines = await SwapCli.RunRawAsync(folder, ["rehearse", "--on", "sqlite:staging.db", "--db", TestServers.Postgres.ToString()]);
        Assert.True(otherEngines.ExitCode == 2, otherEngines.ToString());
        Assert.Contains("run different engines", otherEngines.Err, StringComparison.Ordinal);

        Assert.Equal(prodBytes, await File.ReadAllBytesAsync(Path.Combine(folder, "prod.db")));
        Assert.Equal(stagingBytes, await File.ReadAllBytesAsync(Path.Combine(folder, "staging.db")));
        Assert.False(Directory.Exists(Path.Combine(folder, "swap-rehearsals")));
    }

    [Fact]
    public async Task An_unreachable_production_stops_the_rehearsal_before_staging_is_changed()
    {
        await using var staging = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await using (var c = await staging.OpenAsync())
            await RehearsalKit.FillItemsAsync(c, 5);
        using var scratch = RehearsalKit.Migrations();

        var run = await SwapCli.RunRawAsync(scratch.Path, ["rehearse", "--on", staging.UrlText, "--db", "postgres://reader:Prod-pw-55@127.0.0.1:1/shop?connect_timeout=2"]);

        Assert.True(run.ExitCode == 5, run.ToString());
        Assert.Contains("postgres://reader:***@127.0.0.1:1/shop", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Prod-pw-55", run.All, StringComparison.Ordinal);
        Assert.Equal(["items"], await staging.TablesAsync());
        Assert.Equal(["id", "name"], await staging.ColumnAsync("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'items' ORDER BY ordinal_position"));
        Assert.False(Directory.Exists(Path.Combine(scratch.Path, "swap-rehearsals")));
    }
}
