using Swap.Cli;
using Swap.Cli.Output;
using Swap.Discovery;
using Swap.History;

namespace Swap.Tests.Cli;

public class StatusViewTests
{
    private static readonly DateTime Applied = new(2026, 11, 20, 9, 15, 0, DateTimeKind.Utc);

    private static StatusReport Report(IReadOnlyList<string>? methods = null)
    {
        var a = new MigrationScript("20261120000000_create_users", "shop", null, ScriptKind.Sql, new string('a', 64)) { Source = "a.sql", OrderName = "20261120000000_create_users" };
        var b = new MigrationScript("MigrateFillRoles", "shop", "2026-11-21-roles", ScriptKind.CSharp, new string('b', 64)) { Source = "b.cs", OrderName = "b.cs:MigrateFillRoles" };
        var history = new HistoryEntry(a.Id, "shop", null, "sql", a.Checksum, 3, 1, HistoryStatus.Applied, Applied, Applied.AddMilliseconds(1500), 1500, null, "ann@host");
        return new StatusReport("sqlite:/data/app.db", [
            new ScriptState(a.Id, "shop", null, ScriptStatus.Applied, a, history, 0) { Methods = methods ?? [] },
            new ScriptState(b.Id, "shop", b.Group, ScriptStatus.Pending, b, null, 0),
        ], null, []);
    }

    private static (string Out, Invocation Invocation) Render(bool terminal, bool json = false, IReadOnlyList<string>? methods = null)
    {
        var sw = new StringWriter();
        var invocation = new Invocation(new GlobalOptions(), new RedactingWriter(sw), new RedactingWriter(new StringWriter()), name => name == "NO_COLOR" ? "1" : null, "/", TimeProvider.System, terminal);
        StatusView.Render(invocation, Report(methods), json);
        return (sw.ToString(), invocation);
    }

    [Fact]
    public void Piped_output_is_one_tab_separated_line_per_script_and_a_next_line()
    {
        var lines = Render(terminal: false).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "sqlite:/data/app.db: 1 applied, 1 pending",
                "applied\tshop\t20261120000000_create_users\t-\tbatch 3\t2026-11-20T09:15:01Z\t1.5 s",
                "pending\tshop\tMigrateFillRoles\t2026-11-21-roles",
                "next: MigrateFillRoles (pending)",
            ],
            lines);
    }

    [Fact]
    public void A_terminal_gets_a_table_per_module_without_colour_under_NO_COLOR()
    {
        var text = Render(terminal: true).Out;
        Assert.Contains("module shop", text, StringComparison.Ordinal);
        Assert.Contains("╭", text, StringComparison.Ordinal);
        Assert.Matches(@"│ applied\s+│ \S+\s+│\s+│ 3\s+│ 2026-11-20\s+│ 1\.5 s\s+│", text);
        Assert.Matches(@"│ pending\s+│ MigrateFill", text);
        Assert.DoesNotContain("\u001b[", text, StringComparison.Ordinal);
        Assert.EndsWith("next: MigrateFillRoles (pending)\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_has_counts_next_and_one_object_per_script()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(Render(terminal: true, json: true).Out);
        var root = doc.RootElement;
        Assert.Equal("MigrateFillRoles", root.GetProperty("next").GetString());
        Assert.Equal(1, root.GetProperty("counts").GetProperty("applied").GetInt32());
        var scripts = root.GetProperty("scripts");
        Assert.Equal(2, scripts.GetArrayLength());
        Assert.Equal("sql", scripts[0].GetProperty("kind").GetString());
        Assert.Equal(3, scripts[0].GetProperty("batch").GetInt32());
        Assert.Equal("cs", scripts[1].GetProperty("kind").GetString());
        Assert.False(scripts[1].TryGetProperty("batch", out _));
    }

    [Fact]
    public void The_methods_a_script_used_follow_its_line_and_are_in_the_json()
    {
        string[] methods = ["items: instant: PostgreSQL makes these column changes in its catalog", "copy-and-swap of orders: orders: changing the type of qty rewrites every row"];

        var line = Render(terminal: false, methods: methods).Out.Split('\n')[1];
        using var doc = System.Text.Json.JsonDocument.Parse(Render(terminal: false, json: true, methods: methods).Out);

        Assert.Equal("applied\tshop\t20261120000000_create_users\t-\tbatch 3\t2026-11-20T09:15:01Z\t1.5 s\tmethod: " + string.Join("; ", methods), line);
        Assert.Equal(methods, doc.RootElement.GetProperty("scripts")[0].GetProperty("methods").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, doc.RootElement.GetProperty("scripts")[1].GetProperty("methods").GetArrayLength());
    }
}
