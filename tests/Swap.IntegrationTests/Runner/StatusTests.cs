using System.Text.Json;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

public class StatusTests
{
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Status_lists_pending_scripts_and_what_runs_next_without_writing_anything(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        target.CreateTable("20261119000000_b", "b");
        var module = Path.GetFileName(target.Folder);

        var run = await SwapCli.RunAsync(target, "status");

        Assert.Equal(0, run.ExitCode);
        // The first line names the target (never with its password) and counts scripts per status.
        Assert.Matches($@"^(sqlite:|postgres://swap:\*\*\*@|mysql://swap:\*\*\*@).*{System.Text.RegularExpressions.Regex.Escape(target.Name)}.*: 2 pending$", run.OutLines[0]);
        Assert.Equal($"pending\t{module}\t20261118000000_a\t-", run.OutLines[1]);
        Assert.Equal($"pending\t{module}\t20261119000000_b\t-", run.OutLines[2]);
        Assert.Equal("next: 20261118000000_a (pending)", run.OutLines[^1]);
        Assert.Empty(await target.TablesAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Status_shows_applied_failed_changed_and_missing_scripts_with_notes(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var a = target.CreateTable("20261118000000_a", "a");
        var gone = target.CreateTable("20261119000000_gone", "gone");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        File.AppendAllText(a, "-- an edit after it was applied\n");
        File.Delete(gone);
        target.Sql("20261120000000_broken", "INSERT INTO a (id, name) VALUES (1, 'x');\nINSERT INTO a (id, name) VALUES (1, 'duplicate key');");
        Assert.Equal(1, (await SwapCli.RunAsync(target, "up", "--allow-changed")).ExitCode);

        var run = await SwapCli.RunAsync(target, "status");

        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith(": 1 changed, 1 failed, 1 missing", run.OutLines[0], StringComparison.Ordinal);
        var lines = run.OutLines.ToDictionary(l => l.Split('\t')[0]);
        Assert.Matches(@"^changed\t[^\t]+\t20261118000000_a\t-\tbatch 1\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\t[^\t]+\tchanged since it was applied \(recorded checksum [0-9a-f]{12}, now [0-9a-f]{12}\)$", lines["changed"]);
        Assert.Contains("20261120000000_broken", lines["failed"], StringComparison.Ordinal);
        Assert.Contains(EngineTraits.RunsScriptsInOneTransaction(engine) ? "\tfailed; 'swap up' retries it: " : "\tfailed after 1 journaled step(s); 'swap up' resumes it: ", lines["failed"], StringComparison.Ordinal);
        Assert.Matches(@"recorded as applied, but no migrations folder or assembly has it; 'swap sync' removes the record$", lines["missing"]);
        Assert.Equal("next: 20261120000000_broken (failed)", run.OutLines[^1]);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Several_module_folders_run_together_and_status_groups_by_module(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.WriteFile("modules/users/migrations/20261118000000_users.sql", "CREATE TABLE users (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL);");
        // Billing's script is older by name, but runs after the users module's table exists.
        target.WriteFile("modules/billing/migrations/20261101000000_invoices.sql", "-- swap:after 20261118000000_users\nCREATE TABLE invoices (id INT NOT NULL PRIMARY KEY, user_id INT NOT NULL REFERENCES users (id));");
        target.WriteFile("modules/billing/migrations/2026-11-20-tax/add_tax.sql", "ALTER TABLE invoices ADD COLUMN tax INT NULL;");
        string[] modules = ["--migrations", "modules/billing", "--migrations", "modules/users"];

        var up = await SwapCli.RunAsync(target, ["up", .. modules]);
        Assert.True(up.ExitCode == 0, up.ToString());
        var history = await target.HistoryAsync();
        Assert.Equal(
            [("20261118000000_users", "users", null), ("20261101000000_invoices", "billing", null), ("add_tax", "billing", "2026-11-20-tax")],
            history.Select(h => (h.ScriptId, h.Module, h.Group)));

        var status = await SwapCli.RunAsync(target, ["status", .. modules]);
        Assert.Equal(0, status.ExitCode);
        Assert.Equal(
            ["applied\tusers\t20261118000000_users\t-", "applied\tbilling\t20261101000000_invoices\t-", "applied\tbilling\tadd_tax\t2026-11-20-tax"],
            status.OutLines[1..4].Select(l => string.Join('\t', l.Split('\t')[..4])));
        Assert.Equal("next: nothing pending", status.OutLines[^1]);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Json_status_carries_history_details_per_script(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var file = target.CreateTable("20261118000000_a", "a");
        target.CreateTable("20261119000000_b", "b");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up", "--steps", "1")).ExitCode);

        var run = await SwapCli.RunAsync(target, "status", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        Assert.Equal("20261119000000_b", root.GetProperty("next").GetString());
        Assert.Equal(1, root.GetProperty("counts").GetProperty("applied").GetInt32());
        Assert.Equal(1, root.GetProperty("counts").GetProperty("pending").GetInt32());
        var a = root.GetProperty("scripts")[0];
        Assert.Equal("applied", a.GetProperty("status").GetString());
        Assert.Equal(file, a.GetProperty("source").GetString());
        Assert.Equal((await target.HistoryAsync())[0].Checksum, a.GetProperty("checksum").GetString());
        Assert.Equal(1, a.GetProperty("batch").GetInt32());
        Assert.True(a.TryGetProperty("finishedAt", out _));
        Assert.Equal("pending", root.GetProperty("scripts")[1].GetProperty("status").GetString());
        Assert.DoesNotContain(TestServers.Password(engine) ?? "\u0000", run.Out, StringComparison.Ordinal);
    }
}
