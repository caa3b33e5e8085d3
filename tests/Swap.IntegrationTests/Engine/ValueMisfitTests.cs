using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// A change that existing values do not fit (a VARCHAR narrowed below a value's length, an integer
/// narrowed below a value, text that is no number): the swap stops as a refusal (exit 7) naming the
/// table, column, new type and the row's key; the original is untouched, nothing is left for
/// 'swap cleanup', nothing is recorded applied, and once the data is fixed 'swap up' applies it.
/// </summary>
public class ValueMisfitTests
{
    private const int Rows = 1000;

    private static string Change(string change) => $$"""
        using Swap.Engine;

        public sealed class Narrow : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var t = await db.UseTableForAlterAsync("people");
                {{change}}
                await db.DoneUsingTablesAsync("people");
            }
        }
        """;

    /// <summary>people(id, name, n): name 'p{id}', n = id; with one value that will not fit.</summary>
    private static async Task<TestTarget> PeopleAsync(DatabaseEngine engine, string misfit)
    {
        var target = await TestTarget.CreateAsync(engine);
        var (text, fill) = engine switch
        {
            DatabaseEngine.MySql => (" ENGINE=InnoDB", $"INSERT INTO people SELECT seq, CONCAT('p', seq), seq FROM seq_1_to_{Rows}"),
            DatabaseEngine.PostgreSql => ("", $"INSERT INTO people SELECT g, 'p' || g, g FROM generate_series(1, {Rows}) g"),
            _ => ("", $"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {Rows}) INSERT INTO people SELECT i, 'p' || i, i FROM s"),
        };
        await target.ExecuteAsync($"CREATE TABLE people (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, n INT NOT NULL){text}");
        await target.ExecuteAsync(fill);
        await target.ExecuteAsync(misfit);
        return target;
    }

    private static async Task<List<string>> ContentAsync(TestTarget target) =>
        (await target.QueryAsync("SELECT id, name, n FROM people ORDER BY id")).Select(r => $"{r.Int64("id")} {r.String("name")} {r.Int64("n")}").ToList();

    private static string TypeOf(TestTarget target, string column) => target.Engine == DatabaseEngine.MySql
        ? $"SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'people' AND COLUMN_NAME = '{column}'"
        : $"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'people'::regclass AND attname = '{column}'";

    [Theory]
    [InlineData(DatabaseEngine.MySql)]
    [InlineData(DatabaseEngine.PostgreSql)]
    public async Task The_servers_reason_names_the_users_table_not_the_copy(DatabaseEngine engine)
    {
        // No row maps to NULL when the swap starts (its preflight would refuse that); the application's write during the copy does.
        await using var target = await PeopleAsync(engine, "UPDATE people SET n = n WHERE id = 1");
        target.CSharp("20260101000000_Narrow", Change("""t.AddColumn(DbColumn.String("label", 20).NotNull().FillWith("CASE WHEN n = 0 THEN NULL ELSE name END"));"""));
        var wrote = false;
        void Write(SwapProgress p)
        {
            if (wrote || p.Phase != SwapPhase.Copying)
                return;
            wrote = true;
            target.ExecuteAsync("UPDATE people SET n = 0 WHERE id = 444").GetAwaiter().GetResult();
        }

        var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o => o.OnProgress = Write).UpAsync());

        Assert.True(wrote);
        Assert.Equal(SwapErrorKind.Refused, failure.Kind);
        Assert.Contains("the row with key (444) holds a value it cannot take (", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("_swap_", failure.Message, StringComparison.Ordinal);
        if (engine == DatabaseEngine.PostgreSql)
            Assert.Contains("(23502: null value in column \"label\" of relation \"people\" violates not-null constraint)", failure.Message, StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Empty(await target.HistoryIdsAsync());
    }

    [Fact]
    public async Task A_value_an_enums_narrowed_list_leaves_out_fails_its_check_and_stops_the_swap_as_refused()
    {
        // PostgreSQL's enum is a CHECK over the list: the copy refuses 'bird' with 23514.
        await using var target = await PeopleAsync(DatabaseEngine.PostgreSql, "UPDATE people SET name = 'bird' WHERE id = 777");
        await target.ExecuteAsync("UPDATE people SET name = CASE WHEN id % 2 = 0 THEN 'cat' ELSE 'dog' END WHERE id <> 777");
        target.CSharp("20260101000000_Narrow", Change("""t.GetColumn("name").SetType(ColumnType.Enum("cat", "dog"));"""));
        var before = await ContentAsync(target);

        var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, failure.Kind);
        Assert.StartsWith("Narrow: the values of 'people' do not all fit the change: column 'name' becomes ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("and the row with key (777) holds a value it cannot take (23514: new row for relation \"people\" violates check constraint ", failure.Message, StringComparison.Ordinal);
        Assert.Equal(before, await ContentAsync(target));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Empty(await target.HistoryIdsAsync());

        await target.ExecuteAsync("UPDATE people SET name = 'cat' WHERE id = 777");
        Assert.Equal(["Narrow"], (await EngineKit.Migrator(target).UpAsync()).Applied.Select(a => a.Id));
        Assert.Equal(before.Select(r => r.Replace(" bird ", " cat ", StringComparison.Ordinal)).ToList(), await ContentAsync(target));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    public static TheoryData<DatabaseEngine, string> Cases => new()
    {
        { DatabaseEngine.MySql, "varchar" },
        { DatabaseEngine.MySql, "int" },
        { DatabaseEngine.PostgreSql, "varchar" },
        { DatabaseEngine.PostgreSql, "int" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_value_that_does_not_fit_stops_the_swap_as_refused_with_the_column_and_key_and_leaves_nothing(DatabaseEngine engine, string kind)
    {
        var (misfit, change, fix, column, type, reason) = (engine, kind) switch
        {
            (_, "varchar") => ("UPDATE people SET name = '" + new string('x', 57) + "' WHERE id = 637", "t.GetColumn(\"name\").SetType(ColumnType.String(20));",
                "UPDATE people SET name = 'short' WHERE id = 637", "name",
                engine == DatabaseEngine.MySql ? "varchar(20) NOT NULL" : "character varying(20) NOT NULL",
                engine == DatabaseEngine.MySql ? "(Data too long for column 'name')" : "(22001: value too long for type character varying(20))"),
            _ => ("UPDATE people SET n = 40000 WHERE id = 812", "t.GetColumn(\"n\").SetType(ColumnType.SmallInt);",
                "UPDATE people SET n = 812 WHERE id = 812", "n",
                engine == DatabaseEngine.MySql ? "smallint(6) NOT NULL" : "smallint NOT NULL",
                engine == DatabaseEngine.MySql ? "(Out of range value for column 'n')" : "(22003: smallint out of range)"),
        };
        var key = kind == "varchar" ? 637 : 812;
        await using var target = await PeopleAsync(engine, misfit);
        target.CSharp("20260101000000_Narrow", Change(change));
        var before = await ContentAsync(target);
        var typeBefore = await target.ScalarAsync(TypeOf(target, column));

        var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, failure.Kind);
        Assert.Equal(
            $"Narrow: the values of 'people' do not all fit the change: column '{column}' becomes {type}, and the row with key ({key}) holds a value it cannot take {reason}. " +
            "Nothing was changed: the swap stopped before its cut-over and removed its copy, capture and change log; 'people' is as it was. " +
            "Fix or remove the values that do not fit, or change the migration; then run 'swap up' again.",
            failure.Message);
        Assert.Equal(before, await ContentAsync(target));
        Assert.Equal(typeBefore, await target.ScalarAsync(TypeOf(target, column)));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Empty(await target.HistoryIdsAsync());

        await target.ExecuteAsync(fix);
        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Equal(["Narrow"], result.Applied.Select(a => a.Id));
        var expected = Enumerable.Range(1, Rows).Select(i => kind == "varchar" && i == 637 ? $"{i} short {i}" : $"{i} p{i} {i}").ToList();
        Assert.Equal(expected, await ContentAsync(target));
        Assert.Equal(type.Replace(" NOT NULL", "", StringComparison.Ordinal), await target.ScalarAsync(TypeOf(target, column)));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [InlineData(DatabaseEngine.MySql)]
    [InlineData(DatabaseEngine.PostgreSql)]
    public async Task The_command_exits_7_and_says_which_row(DatabaseEngine engine)
    {
        await using var target = await PeopleAsync(engine, "UPDATE people SET name = '" + new string('y', 150) + "' WHERE id = 999");
        target.CSharp("20260101000000_Narrow", Change("t.GetColumn(\"name\").SetType(ColumnType.String(20));"));

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 7, run.ToString());
        Assert.Contains("the values of 'people' do not all fit the change: column 'name' becomes", run.Err, StringComparison.Ordinal);
        Assert.Contains("the row with key (999) holds a value it cannot take", run.Err, StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        // Nothing of the swap is left, so the history is as before the run (no row), like any refusal.
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "Narrow"));
    }

    [Theory]
    [InlineData(DatabaseEngine.MySql)]
    [InlineData(DatabaseEngine.PostgreSql)]
    public async Task A_value_written_just_before_the_cut_over_is_found_under_its_lock_and_nothing_is_renamed(DatabaseEngine engine)
    {
        // The command pauses after its last catch-up outside the locks; the application then writes
        // a value the new type cannot take, which only the catch-up under the cut-over's lock sees.
        await using var target = await PeopleAsync(engine, "UPDATE people SET n = n WHERE id = 1");
        target.CSharp("20260101000000_Narrow", Change("t.GetColumn(\"name\").SetType(ColumnType.String(20));"));
        var before = await ContentAsync(target);
        var resume = Path.Combine(target.Folder, "resume");
        var wrote = false;
        var environment = new Dictionary<string, string> { ["SWAP_FAULT_PAUSE_AT"] = "cutover-lock", ["SWAP_FAULT_RESUME_FILE"] = resume };

        var (exit, output) = await CliProcess.RunWatchingAsync(target.Folder, environment, TimeSpan.FromMinutes(2), async line =>
        {
            if (wrote || !line.StartsWith("fault injection: paused at cutover-lock", StringComparison.Ordinal))
                return;
            wrote = true;
            await target.ExecuteAsync("UPDATE people SET name = '" + new string('z', 40) + "' WHERE id = 990");
            await File.WriteAllTextAsync(resume, "");
        }, "up", "--db", target.UrlText, "--migrations", Path.Combine(target.Folder, "migrations"));

        Assert.True(wrote, output);
        Assert.True(exit == 7, output);
        Assert.Contains("the values of 'people' do not all fit the change: column 'name' becomes", output, StringComparison.Ordinal);
        Assert.Contains("the row with key (990) holds a value it cannot take", output, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed: the swap stopped before its cut-over and removed its copy, capture and change log; 'people' is as it was.", output, StringComparison.Ordinal);
        var expected = before.Select(r => r.StartsWith("990 ", StringComparison.Ordinal) ? $"990 {new string('z', 40)} 990" : r).ToList();
        Assert.Equal(expected, await ContentAsync(target));
        Assert.Equal(engine == DatabaseEngine.MySql ? "varchar(200)" : "character varying(200)", await target.ScalarAsync(TypeOf(target, "name")));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Empty(await target.HistoryIdsAsync());
    }

    [Theory]
    [InlineData(DatabaseEngine.MySql)]
    [InlineData(DatabaseEngine.PostgreSql)]
    public async Task A_value_the_application_writes_during_the_copy_stops_the_swap_the_same_way(DatabaseEngine engine)
    {
        await using var target = await PeopleAsync(engine, "UPDATE people SET n = n WHERE id = 1");
        target.CSharp("20260101000000_Narrow", Change("t.GetColumn(\"name\").SetType(ColumnType.String(20));"));
        var wrote = false;
        void Write(SwapProgress p)
        {
            if (wrote || p.Phase != SwapPhase.Copying)
                return;
            wrote = true;
            target.ExecuteAsync("UPDATE people SET name = '" + new string('z', 40) + "' WHERE id = 990").GetAwaiter().GetResult();
        }

        var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o => o.OnProgress = Write).UpAsync());

        Assert.True(wrote);
        Assert.Equal(SwapErrorKind.Refused, failure.Kind);
        Assert.Contains("column 'name' becomes", failure.Message, StringComparison.Ordinal);
        Assert.Contains("the row with key (990) holds a value it cannot take", failure.Message, StringComparison.Ordinal);
        Assert.Equal(new string('z', 40), await target.ScalarAsync("SELECT name FROM people WHERE id = 990"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Empty(await target.HistoryIdsAsync());
    }
}

/// <summary>SQLite: a STRICT table refuses text that is no integer, and the portable boolean's CHECK refuses a 2; online and in one transaction.</summary>
public class SqliteValueMisfitTests
{
    private const string Change = """
        using Swap.Engine;

        public sealed class Narrow : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var t = await db.UseTableForAlterAsync("people");
                t.GetColumn("code").SetType(ColumnType.Int);
                t.GetColumn("flag").SetType(ColumnType.Boolean);
                await db.DoneUsingTablesAsync("people");
            }
        }
        """;

    [Theory]
    [InlineData(true, "code", "UPDATE people SET code = 'abc' WHERE id = 321", "UPDATE people SET code = '321' WHERE id = 321")]
    [InlineData(false, "code", "UPDATE people SET code = 'abc' WHERE id = 321", "UPDATE people SET code = '321' WHERE id = 321")]
    [InlineData(true, "flag", "UPDATE people SET flag = 2 WHERE id = 321", "UPDATE people SET flag = 1 WHERE id = 321")]
    [InlineData(false, "flag", "UPDATE people SET flag = 2 WHERE id = 321", "UPDATE people SET flag = 1 WHERE id = 321")]
    public async Task A_value_that_does_not_fit_stops_the_swap_as_refused_and_a_fixed_table_swaps(bool online, string column, string misfit, string fix)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await target.ExecuteAsync("CREATE TABLE people (id INTEGER PRIMARY KEY, code TEXT NOT NULL, flag INT NOT NULL) STRICT");
        await target.ExecuteAsync("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 1000) INSERT INTO people SELECT i, CAST(i AS TEXT), i % 2 FROM s");
        await target.ExecuteAsync(misfit);
        target.CSharp("20260101000000_Narrow", Change);
        var before = await ContentAsync(target);
        var migrator = () => EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = online ? 0 : long.MaxValue);

        var failure = await Assert.ThrowsAsync<SwapException>(() => migrator().UpAsync());

        Assert.Equal(SwapErrorKind.Refused, failure.Kind);
        Assert.StartsWith("Narrow: the values of 'people' do not all fit the change: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains(column == "code" ? "column 'code' becomes INTEGER NOT NULL, and the row with key (321) holds a value it cannot take (cannot store TEXT value in INTEGER column" : "the row with key (321) holds a value", failure.Message, StringComparison.Ordinal);
        Assert.Contains(online ? "Nothing was changed: the swap stopped before its cut-over and removed its copy, capture and change log" : "Nothing was changed: the swap's transaction was rolled back", failure.Message, StringComparison.Ordinal);
        Assert.Equal(before, await ContentAsync(target));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Empty(await target.HistoryIdsAsync());

        await target.ExecuteAsync(fix);
        var result = await migrator().UpAsync();

        Assert.Equal(["Narrow"], result.Applied.Select(a => a.Id));
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => $"{i} {i} {i % 2}").ToList(), await ContentAsync(target));
        Assert.Equal("integer", await target.ScalarAsync("SELECT typeof(code) FROM people WHERE id = 321"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    private static async Task<List<string>> ContentAsync(TestTarget target) =>
        (await target.QueryAsync("SELECT id, code, flag FROM people ORDER BY id")).Select(r => $"{r.Int64("id")} {Convert.ToString(r[1], System.Globalization.CultureInfo.InvariantCulture)} {r.Int64("flag")}").ToList();
}
