using System.Globalization;
using Swap.Cli;
using Swap.Data;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.BadInput;

/// <summary>What one in-process run of <c>swap</c> printed and returned.</summary>
public sealed record Outcome(int Code, string Out, string Err)
{
    public override string ToString() => $"exit {Code}\n--- stdout\n{Out}--- stderr\n{Err}";
}

/// <summary>
/// The starting point of every bad-input case: a target with <c>items</c> (five rows, a duplicate
/// name, NULL notes) and a keyless table, created by one applied script. A case adds its bad input,
/// runs <c>swap</c> in-process, and checks that the tables, their rows and the applied history are
/// exactly as before (a script refused before it wrote anything leaves no history row; one that
/// fails at run time is recorded as failed, never applied).
/// </summary>
public sealed class CatalogTarget : IAsyncDisposable
{
    public const string BaseScript = "20261101000000_base";

    private Snapshot? before;

    private CatalogTarget(TestTarget target) => Target = target;

    public TestTarget Target { get; }

    public DatabaseEngine Engine => Target.Engine;

    public string Migrations => Path.Combine(Target.Folder, "migrations");

    public static async Task<CatalogTarget> CreateAsync(DatabaseEngine engine)
    {
        var t = new CatalogTarget(await TestTarget.CreateAsync(engine));
        var key = engine == DatabaseEngine.MySql ? "INT NOT NULL PRIMARY KEY" : "INTEGER NOT NULL PRIMARY KEY";
        t.Sql(BaseScript, $"""
            CREATE TABLE items (id {key}, grp INT NOT NULL, name VARCHAR(50) NOT NULL, note VARCHAR(50) NULL);
            INSERT INTO items (id, grp, name, note) VALUES (1, 1, 'a', NULL), (2, 1, 'b', 'x'), (3, 2, 'c', NULL), (4, 2, 'c', 'y'), (5, 3, 'e', NULL);
            CREATE TABLE nokey (a INT NULL, b INT NULL);
            INSERT INTO nokey (a, b) VALUES (1, 2);
            """);
        var up = await t.RunAsync("up");
        Assert.True(up.Code == 0, up.ToString());
        t.before = await t.SnapshotAsync();
        return t;
    }

    /// <summary>
    /// A target Swap never ran on: its application table <c>items</c> made with plain SQL, no
    /// history, no Swap table. <see cref="AssertUnchangedAsync"/> does not apply (there is no history to read).
    /// </summary>
    public static async Task<CatalogTarget> CreateNewToSwapAsync(DatabaseEngine engine)
    {
        var t = new CatalogTarget(await TestTarget.CreateAsync(engine));
        var key = engine == DatabaseEngine.MySql ? "INT NOT NULL PRIMARY KEY" : "INTEGER NOT NULL PRIMARY KEY";
        await t.Target.ExecuteAsync($"CREATE TABLE items (id {key}, note VARCHAR(50) NULL)");
        await t.Target.ExecuteAsync("INSERT INTO items (id, note) VALUES (1, NULL), (2, 'x')");
        return t;
    }

    /// <summary>The target's tables, by name.</summary>
    public async Task<List<string>> TableNamesAsync()
    {
        var sql = Engine switch
        {
            DatabaseEngine.PostgreSql => "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1",
            DatabaseEngine.MySql => "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1",
            _ => "SELECT name AS t FROM sqlite_master WHERE type = 'table' ORDER BY 1",
        };
        return (await Target.QueryAsync(sql)).Select(r => r.String("t")!).ToList();
    }

    /// <summary>Takes the current state as the one cases must leave unchanged (after a case applied a good script first).</summary>
    public async Task RememberAsync() => before = await SnapshotAsync();

    /// <summary>Runs <c>swap --db &lt;target&gt; args...</c> in the target's folder, in-process, with an empty environment.</summary>
    public Task<Outcome> RunAsync(params string[] args) => RunRawAsync(["--db", Target.UrlText, .. args]);

    public async Task<Outcome> RunRawAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var code = await CliApp.RunAsync(args, stdout, stderr, name => environment?.GetValueOrDefault(name), Target.Folder, TimeProvider.System, CancellationToken.None);
        return new Outcome(code, stdout.ToString(), stderr.ToString());
    }

    public string Sql(string id, string text) => Write(id + ".sql", text);

    /// <summary>A C# migration class <paramref name="name"/> whose UpAsync body is <paramref name="body"/>.</summary>
    public string CSharp(string timestamp, string name, string body, string members = "") => Write($"{timestamp}_{name}.cs", $$"""
        using Swap.Engine;

        public sealed class {{name}} : Migration
        {
        {{members}}
            public override async Task UpAsync(MigrationContext db)
            {
                {{body}}
            }
        }
        """);

    public string Write(string relative, string text)
    {
        var path = Path.Combine(Migrations, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Asserts the exit code and that stderr carries the message (after "error: ").</summary>
    public static void AssertFails(Outcome outcome, int code, string message)
    {
        Assert.True(outcome.Code == code, $"expected exit {code}:\n{outcome}");
        Assert.True(outcome.Err.Contains(message, StringComparison.Ordinal), $"expected the message:\n{message}\n\ngot:\n{outcome}");
    }

    /// <summary>
    /// Tables, columns, rows and the history are as after the base script. Scripts in
    /// <paramref name="failed"/> (failures at run time, not refusals) may have a history row, marked failed (never applied).
    /// </summary>
    public async Task AssertUnchangedAsync(params string[] failed)
    {
        var now = await SnapshotAsync();
        Assert.Equal(before!.Tables, now.Tables);
        Assert.Equal(before.Rows, now.Rows);
        Assert.Equal(before.History, now.History.Where(h => !failed.Contains(h.Split('|')[0])).ToList());
        foreach (var h in now.History.Where(h => failed.Contains(h.Split('|')[0])))
            Assert.Equal("failed", h.Split('|')[1]);
    }

    private sealed record Snapshot(List<string> Tables, List<string> Rows, List<string> History);

    private async Task<Snapshot> SnapshotAsync()
    {
        await using var c = await Target.OpenAsync();
        var tablesSql = Engine switch
        {
            DatabaseEngine.PostgreSql => "SELECT table_name || ':' || string_agg(column_name, ',' ORDER BY ordinal_position) AS t FROM information_schema.columns WHERE table_schema = current_schema() GROUP BY table_name ORDER BY 1",
            DatabaseEngine.MySql => "SELECT CONCAT(TABLE_NAME, ':', GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION)) AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() GROUP BY TABLE_NAME ORDER BY 1",
            _ => "SELECT m.name || ':' || (SELECT group_concat(name, ',') FROM pragma_table_info(m.name)) AS t FROM sqlite_master m WHERE m.type = 'table' ORDER BY 1",
        };
        var tables = (await c.QueryAsync(tablesSql, null, default)).Select(r => r.String("t")!).ToList();
        var rows = (await c.QueryAsync("SELECT id, grp, name, note FROM items ORDER BY id", null, default))
            .Select(r => $"{r.Int64("id")}|{r.Int64("grp")}|{r.String("name")}|{r.String("note") ?? "NULL"}").ToList();
        rows.AddRange((await c.QueryAsync("SELECT a, b FROM nokey ORDER BY a", null, default)).Select(r => $"nokey {r.Int64("a")}|{r.Int64("b")}"));
        var history = (await c.QueryAsync("SELECT script_id, status, checksum, batch FROM swap_history ORDER BY script_id", null, default))
            .Select(r => $"{r.String("script_id")}|{r.String("status")!.ToLowerInvariant()}|{r.String("checksum")}|{r.Int64("batch")}").ToList();
        return new Snapshot(tables, rows, history);
    }

    public ValueTask DisposeAsync() => Target.DisposeAsync();
}
