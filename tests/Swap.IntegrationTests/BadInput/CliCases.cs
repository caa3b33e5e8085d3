using static Swap.IntegrationTests.BadInput.CatalogTarget;

namespace Swap.IntegrationTests.BadInput;

/// <summary>
/// CLI misuse around a pending copy-and-swap: unknown verbs and options, bad numbers and durations,
/// bad URLs, unknown ids. Each is a usage error (exit 2) that says what is expected, and nothing runs.
/// </summary>
public class CliCases
{
    private static async Task<CatalogTarget> ArrangeAsync(DatabaseEngine engine)
    {
        var t = await CreateAsync(engine);
        t.CSharp("20261120000000", "MigrateAddStock", """
            var table = await db.UseTableForAlterAsync("items");
            table.AddColumn(DbColumn.Int("stock").SetDefault(0));
            await db.DoneUsingTablesAsync("items");
            """);
        return t;
    }

    public static TheoryData<DatabaseEngine, string[], string> Misuse => new()
    {
        { DatabaseEngine.Sqlite, ["upp"], "error: Unrecognized command or argument 'upp'." },
        { DatabaseEngine.PostgreSql, ["up", "--chunk-tme", "20ms"], "error: Unrecognized command or argument '--chunk-tme'." },
        { DatabaseEngine.MySql, ["up", "--steps", "0"], "error: --steps must be 1 or more, not 0.\n" },
        // Not System.CommandLine's "as expected type 'System.Nullable`1[System.Int32]'".
        { DatabaseEngine.Sqlite, ["up", "--steps", "many"], "error: --steps takes a whole number, not 'many'.\nRun 'swap --help' for usage.\n" },
        { DatabaseEngine.MySql, ["up", "--chunk-size", "abc"], "error: --chunk-size takes a whole number, not 'abc'.\nRun 'swap --help' for usage.\n" },
        // A true/false option given another word: not "Unrecognized command or argument 'maybe'".
        { DatabaseEngine.Sqlite, ["up", "--sqlite-indexes-after-copy", "maybe"], "error: --sqlite-indexes-after-copy takes true or false, not 'maybe'.\nRun 'swap --help' for usage.\n" },
        { DatabaseEngine.Sqlite, ["up", "--sqlite-indexes-after-copy=yes"], "error: --sqlite-indexes-after-copy takes true or false, not 'yes'.\nRun 'swap --help' for usage.\n" },
        { DatabaseEngine.MySql, ["up", "--keep-old", "please"], "error: --keep-old takes true or false, not 'please'.\nRun 'swap --help' for usage.\n" },
        { DatabaseEngine.PostgreSql, ["up", "--to", "MigrateAddStok"], "error: --to 'MigrateAddStok' is not a known script id. Run 'swap status' to list the ids.\n" },
        // Ids are compared with their letter case: the message names the id meant.
        { DatabaseEngine.MySql, ["up", "--to", "migrateaddstock"], "error: --to 'migrateaddstock' is not a known script id (did you mean 'MigrateAddStock'? ids are compared with their letter case). Run 'swap status' to list the ids.\n" },
        { DatabaseEngine.Sqlite, ["plan", "--to", "MIGRATEADDSTOCK"], "error: --to 'MIGRATEADDSTOCK' is not a known script id (did you mean 'MigrateAddStock'? ids are compared with their letter case). Run 'swap status' to list the ids.\n" },
        { DatabaseEngine.MySql, ["up", "--chunk-time", "fast"], "error: --chunk-time 'fast' is not a duration. Use forms like 500ms, 30s, 5m, 1h30m.\n" },
        { DatabaseEngine.Sqlite, ["up", "--cut-over-retries", "-1"], "error: --cut-over-retries must be 0 or more.\n" },
        // Zero is no chunk time at all; and PostgreSQL reads lock_timeout = 0 as "wait for ever", the opposite of a bounded cut-over.
        { DatabaseEngine.MySql, ["up", "--chunk-time", "0"], "error: --chunk-time must be above zero, like 200ms or 2s, not '0'.\n" },
        { DatabaseEngine.PostgreSql, ["up", "--cut-over-lock-wait", "0"], "error: --cut-over-lock-wait must be above zero, like 200ms or 2s, not '0'.\n" },
        { DatabaseEngine.Sqlite, ["down", "--cut-over-lock-wait", "0ms"], "error: --cut-over-lock-wait must be above zero, like 200ms or 2s, not '0ms'.\n" },
        { DatabaseEngine.PostgreSql, ["up", "--lock-timeout", "soon"], "error: --lock-timeout 'soon' is not a duration. Use forms like 500ms, 30s, 5m, 1h30m.\n" },
        { DatabaseEngine.MySql, ["up", "--time-budget", "-5m"], "error: --time-budget '-5m' is not a duration. Use forms like 500ms, 30s, 5m, 1h30m.\n" },
        { DatabaseEngine.Sqlite, ["cleanup", "--script", "MigrateNoSuch"], "error: 'MigrateNoSuch' has no history or journal here; 'swap status' lists the scripts.\n" },
        // A replica of another engine (or any on SQLite) can never show the heartbeat: it would throttle forever.
        { DatabaseEngine.PostgreSql, ["up", "--replica", "mysql://swap:pw@127.0.0.1:33406/swap_test"], "error: --replica mysql://swap:***@127.0.0.1:33406/swap_test is a MySQL/MariaDB database, but the target is PostgreSQL: give a replica (or standby) of the target itself, whose lag Swap reads from the heartbeat it writes on the target." },
        { DatabaseEngine.MySql, ["down", "--replica", "postgres://swap:pw@127.0.0.1:55532/swap_test"], "error: --replica postgres://swap:***@127.0.0.1:55532/swap_test is a PostgreSQL database, but the target is MySQL/MariaDB: give a replica (or standby) of the target itself" },
        { DatabaseEngine.Sqlite, ["up", "--replica", "sqlite:replica.db"], "is a SQLite database: SQLite has no replicas to watch; leave out --replica." },
        { DatabaseEngine.PostgreSql, ["up", "--history-prefix", ""], "error: The history prefix '' is empty or has spaces around it; Swap would keep a second history under it and apply every script again." },
    };

    [Theory]
    [MemberData(nameof(Misuse))]
    public async Task Misuse_of_the_command_line_is_a_usage_error(DatabaseEngine engine, string[] args, string message)
    {
        await using var t = await ArrangeAsync(engine);
        var run = await t.RunAsync(args);
        AssertFails(run, 2, message);
        Assert.Equal("", run.Out);
        await t.AssertUnchangedAsync();
    }

    [Theory]
    [InlineData(DatabaseEngine.MySql)]
    [InlineData(DatabaseEngine.PostgreSql)]
    public async Task A_replica_url_that_is_the_target_itself_is_a_usage_error(DatabaseEngine engine)
    {
        // Its lag would always read 0: the throttle would never hold the swap.
        await using var t = await ArrangeAsync(engine);
        var run = await t.RunAsync("up", "--replica", t.Target.UrlText);
        AssertFails(run, 2, "is the target database itself, whose lag always reads 0: give the URL of a replica (or standby) of it.");
        Assert.Equal("", run.Out);
        await t.AssertUnchangedAsync();
    }

    public static TheoryData<string, string> BadUrls => new()
    {
        { "items.db", "error: The database URL 'items.db' is not valid: it has no scheme." },
        { "oracle://scott:tiger@db.example:1521/orcl", "error: The database URL 'oracle://scott:***@db.example:1521/orcl' is not valid: the scheme 'oracle' is not one of sqlite, mysql, mariadb, postgres, postgresql, pg." },
        { "postgres://swap:pw@127.0.0.1:99999/swap_test", "error: The database URL 'postgres://swap:***@127.0.0.1:99999/swap_test' is not valid: the port '99999' is not a number from 1 to 65535." },
        { "mysql://swap:pw@127.0.0.1:3306", "error: The database URL 'mysql://swap:***@127.0.0.1:3306' is not valid: it names no database (…/dbname)." },
        { "postgres://swap:pw@127.0.0.1:55432/swap_test?shema=billing", "error: The database URL 'postgres://swap:***@127.0.0.1:55432/swap_test?shema=billing' is not valid: it has the option(s) 'shema', which Swap does not know" },
    };

    [Theory]
    [MemberData(nameof(BadUrls))]
    public async Task A_malformed_database_url_is_a_usage_error_that_hides_the_password(string url, string message)
    {
        await using var t = await ArrangeAsync(DatabaseEngine.Sqlite);
        var run = await t.RunRawAsync(["--db", url, "up"]);
        AssertFails(run, 2, message);
        Assert.DoesNotContain("tiger", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(":pw@", run.Err, StringComparison.Ordinal);
        await t.AssertUnchangedAsync();
    }
}
