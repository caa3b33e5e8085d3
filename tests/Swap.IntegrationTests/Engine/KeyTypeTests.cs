using System.Globalization;
using Swap.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// Keys of the types real tables use, walked in chunks of two while a writer updates, deletes and
/// re-inserts every key: the chunks bind each key back as a parameter, capture logs it, and the
/// applier re-syncs it, so each type goes through every path that reads or writes a key.
/// </summary>
public class KeyTypeTests
{
    public static TheoryData<DatabaseEngine, string, string> Keys => new()
    {
        { DatabaseEngine.PostgreSql, "uuid", "'00000000-0000-0000-0000-000000000000'|'ffffffff-ffff-ffff-ffff-ffffffffffff'|'7f000000-0000-0000-0000-000000000001'|'80000000-0000-0000-0000-000000000000'|'0fffffff-ffff-ffff-ffff-fffffffffff0'" },
        { DatabaseEngine.PostgreSql, "bytea", "'\\x00'::bytea|'\\x0000'::bytea|'\\xff'::bytea|'\\x7f80'::bytea|''::bytea|'\\x00ff00'::bytea" },
        { DatabaseEngine.PostgreSql, "timestamp", "'-infinity'|'infinity'|'2026-01-01 00:00:00.000001'|'1970-01-01'|'0001-01-01 00:00:00.000001'|'2026-01-01 00:00:00'" },
        { DatabaseEngine.PostgreSql, "timestamptz", "'-infinity'|'infinity'|'2026-03-29 01:30:00+05:30'|'2026-03-29 01:30:00.5+00'|'1999-12-31 23:59:59.999999-08'" },
        { DatabaseEngine.PostgreSql, "date", "'-infinity'|'infinity'|'2026-01-01'|'0001-01-02'|'2000-02-29'" },
        { DatabaseEngine.PostgreSql, "text COLLATE \"C\"", "'a'|'B'|'b'|'A'|'a '|'é'|'e'|'Z'|''|'😀'" },
        { DatabaseEngine.PostgreSql, "text COLLATE swap_ci", "'a'|'B'|'é'|'e'|''|'ß'|'Z'|'a '" },
        { DatabaseEngine.PostgreSql, "text", "'a'|'B'|'b'|'A'|'a '|'é'|'e'|'Z'|''|'ä'|'-a'|'a-'" },
        { DatabaseEngine.PostgreSql, "char(4)", "'a  '|'b'|'B'|' a'|'ab'" },
        { DatabaseEngine.PostgreSql, "numeric(20,5)", "0|-0.00001|0.00001|123456789012345.12345|-123456789012345.12345|1" },
        { DatabaseEngine.PostgreSql, "float8", "0|-1.5|1e300|-1e-300|'Infinity'|'-Infinity'|3.141592653589793" },
        { DatabaseEngine.PostgreSql, "smallint", "-32768|32767|0|1|-1" },
        { DatabaseEngine.PostgreSql, "time", "'00:00:00'|'23:59:59.999999'|'12:00'|'00:00:00.000001'" },
        { DatabaseEngine.PostgreSql, "boolean", "false|true" },
                { DatabaseEngine.Sqlite, "TEXT", "'a'|'B'|'b'|'a '|''|'é'|'😀'|'10'|'9'" },
        { DatabaseEngine.Sqlite, "BLOB", "x'00'|x'0000'|x'ff'|x''|x'7f80'" },
        { DatabaseEngine.Sqlite, "REAL", "0.5|-1.5|1e300|-1e-300|3.141592653589793|0" },
        { DatabaseEngine.Sqlite, "NUMERIC", "1|1.5|-2|'abc'|x'01'|100000000000000000000" },
        { DatabaseEngine.Sqlite, "ANY_MIXED", "1|'1a'|2.5|x'00'|'b'|-7" },
        { DatabaseEngine.Sqlite, "INTEGER", "-9223372036854775808|9223372036854775807|0|1" },
        { DatabaseEngine.MySql, "BINARY(16)", "0x00000000000000000000000000000000|0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF|0x7F000000000000000000000000000001|0x80000000000000000000000000000000" },
        { DatabaseEngine.MySql, "VARBINARY(8)", "0x00|0x0000|0xFF|0x7F80|''|0x00FF00|0x20|0x2020" },
        { DatabaseEngine.MySql, "ENUM('sad','ok','happy')", "'sad'|'ok'|'happy'" },
        { DatabaseEngine.MySql, "BIT(8)", "b'0'|b'1'|b'11111111'|b'10000000'" },
        { DatabaseEngine.MySql, "YEAR", "1901|2155|2026|2000" },
        { DatabaseEngine.MySql, "CHAR(4)", "'a'|'b '|'ab'|' a'|'a b'" },
        { DatabaseEngine.MySql, "VARCHAR(10) COLLATE utf8mb4_bin", "'a'|'A'|'b'|'é'|'e'|''|'😀'" },
        { DatabaseEngine.MySql, "DECIMAL(20,5)", "0|-0.00001|0.00001|123456789012345.12345|-123456789012345.12345" },
        { DatabaseEngine.MySql, "DOUBLE", "0|-1.5|1e300|-1e-300|3.141592653589793" },
        // Doubles that have no exact decimal form go through the change log and back unchanged.
        { DatabaseEngine.MySql, "DOUBLE", "0.1|0.2|0.3|-2.5e-7|1.7976931348623157e308|2.2250738585072014e-308|123456.789" },
        { DatabaseEngine.MySql, "TIME(6)", "'-838:59:59'|'838:59:59'|'00:00:00.000001'|'-00:00:01'|'25:00:00'" },
        { DatabaseEngine.MySql, "DATETIME(6)", "'1000-01-01 00:00:00'|'9999-12-31 23:59:59.999999'|'2026-01-01 00:00:00.5'" },
        { DatabaseEngine.MySql, "DATE", "'1000-01-01'|'9999-12-31'|'2000-02-29'" },
        { DatabaseEngine.MySql, "TINYINT", "-128|127|0" },
        { DatabaseEngine.MySql, "SMALLINT UNSIGNED", "0|65535|32768" },
        { DatabaseEngine.MySql, "BIGINT UNSIGNED", "0|18446744073709551615|9223372036854775808|9223372036854775807" },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task Every_key_survives_chunks_capture_and_the_applier(DatabaseEngine engine, string type, string literalList)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var literals = await CreateTableAsync(target, type, literalList);
        var text = engine switch
        {
            DatabaseEngine.MySql => "HEX(CAST(k AS BINARY))",
            DatabaseEngine.Sqlite => "quote(k)",
            _ => "k::text",
        };
        var keyOf = (await target.QueryAsync($"SELECT {text} AS kt, v FROM t")).ToDictionary(r => (int)r.Int64("v")!.Value, r => Convert.ToString(r[0], CultureInfo.InvariantCulture)!);
        Assert.Equal(literals.Length, keyOf.Count);

        EngineKit.WriteSwapScript(target, Script, "20260101000000_MigrateT.cs");

        // The writer's last acknowledged value of each key, or null when its last write deleted it.
        var expected = Enumerable.Range(0, literals.Length).ToDictionary(i => i, i => (long?)i);
        var writes = await SwapWhileWritingAsync(target, async (c, round) =>
        {
            for (var i = 0; i < literals.Length; i++)
            {
                var v = round * 100 + i;
                var sql = ((round + i) % 3) switch
                {
                    0 => $"DELETE FROM t WHERE k = {literals[i]}",
                    _ when expected[i] is null => $"INSERT INTO t (k, v) VALUES ({literals[i]}, {v})",
                    _ => $"UPDATE t SET v = {v} WHERE k = {literals[i]}",
                };
                await Swap.Data.DbCommands.ExecuteAsync(c, sql, null, null, default);
                expected[i] = sql.StartsWith("DELETE", StringComparison.Ordinal) ? null : v;
            }
            return literals.Length;
        });

        Assert.True(writes > literals.Length * 3, $"the writer wrote {writes} times; it must have written while the swap ran");
        var rows = (await target.QueryAsync($"SELECT {text} AS kt, v FROM t")).ToDictionary(r => Convert.ToString(r[0], CultureInfo.InvariantCulture)!, r => r.Int64("v"));
        var want = expected.Where(e => e.Value is not null).ToDictionary(e => keyOf[e.Key], e => e.Value);
        Assert.Equal(want.OrderBy(w => w.Key, StringComparer.Ordinal), rows.OrderBy(r => r.Key, StringComparer.Ordinal));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql, "text COLLATE swap_ci")]
    [InlineData(DatabaseEngine.MySql, "VARCHAR(20)")]
    public async Task A_key_that_changes_only_its_case_under_a_case_insensitive_collation_arrives_as_last_written(DatabaseEngine engine, string type)
    {
        // Under the collation 'abc' = 'ABC': the log holds both spellings, the copy's delete and
        // insert match either, and the row must arrive with the spelling the application wrote last.
        await using var target = await TestTarget.CreateAsync(engine);
        var words = new[] { "abc", "straße", "émile", "zed", "mixed" };
        await CreateTableAsync(target, type, string.Join("|", words.Select(w => "'" + w + "'")));
        EngineKit.WriteSwapScript(target, Script, "20260101000000_MigrateT.cs");
        var spelled = words.ToArray();
        var values = Enumerable.Range(0, words.Length).Select(i => (long)i).ToArray();

        var writes = await SwapWhileWritingAsync(target, async (c, round) =>
        {
            for (var i = 0; i < words.Length; i++)
            {
                var next = (round + i) % 2 == 0 ? words[i].ToUpperInvariant() : words[i];
                var v = round * 100 + i;
                await Swap.Data.DbCommands.ExecuteAsync(c, "UPDATE t SET k = @next, v = @v WHERE k = @now", new { next, v, now = spelled[i] }, null, default);
                (spelled[i], values[i]) = (next, v);
            }
            return words.Length;
        });

        Assert.True(writes > words.Length * 3, $"the writer wrote {writes} times; it must have written while the swap ran");
        var rows = await target.QueryAsync("SELECT k, v FROM t");
        Assert.Equal(
            spelled.Zip(values).Select(p => (p.First, p.Second)).OrderBy(p => p.Second),
            rows.Select(r => (r.String("k")!, r.Int64("v")!.Value)).OrderBy(p => p.Item2));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>
    /// Runs the swap of <c>t</c> in chunks of one or two keys, pausing 60 ms before each, while
    /// <paramref name="writeRound"/> writes round after round on its own connection; stops the
    /// writer 100 ms after the swap. Returns the writes made.
    /// </summary>
    private static async Task<int> SwapWhileWritingAsync(TestTarget target, Func<System.Data.Common.DbConnection, int, Task<int>> writeRound)
    {
        using var stop = new CancellationTokenSource();
        var writes = 0;
        var writing = Task.Run(async () =>
        {
            await using var c = await target.OpenAsync();
            for (var round = 1; !stop.IsCancellationRequested; round++)
            {
                writes += await writeRound(c, round);
                await Task.Delay(5);
            }
        });
        try
        {
            await EngineKit.Migrator(target, o =>
            {
                o.AlwaysCopy = true;
                o.Swap.OneTransactionBelowRows = 0;
                o.Swap.InitialChunkSize = 2;
                o.Swap.MinChunkSize = 1;
                o.Swap.MaxChunkSize = 2;
                o.Swap.ApplyBatchSize = 2;
                o.Swap.Throttler = new PausingThrottler(TimeSpan.FromMilliseconds(60));
            }).UpAsync();
            await Task.Delay(100);
        }
        finally
        {
            await stop.CancelAsync();
            await writing;
        }
        return writes;
    }

    public static TheoryData<DatabaseEngine, string, string> Unreadable => new()
    {
        { DatabaseEngine.PostgreSql, "swap_mood", "'sad'|'ok'|'happy'" },
        { DatabaseEngine.PostgreSql, "time", "'00:00:00'|'24:00:00'" },
        { DatabaseEngine.PostgreSql, "timestamp", "'-infinity'|'0001-01-01 00:00:00'|'2026-01-01'" },
        { DatabaseEngine.PostgreSql, "date", "'-infinity'|'0001-01-01'|'2026-01-01'" },
        { DatabaseEngine.PostgreSql, "timestamptz", "'0001-01-01 00:00:00+00'|'2026-01-01 00:00:00+00'" },
        { DatabaseEngine.PostgreSql, "inet", "'10.0.0.1'|'::1'" },
        { DatabaseEngine.PostgreSql, "numeric", "1|'NaN'" },
        // Read as a .NET value that binds back as another type: decimal (numeric), string (text),
        // DateTimeOffset (timestamptz) have no comparison with money, jsonb, timetz; uint and ulong bind as nothing.
        { DatabaseEngine.PostgreSql, "money", "1|2.5|-3" },
        { DatabaseEngine.PostgreSql, "jsonb", "'1'|'{\"a\": 1}'|'[1, 2]'" },
        { DatabaseEngine.PostgreSql, "timetz", "'00:00:00+00'|'12:00:00+02'|'23:59:59-05'" },
        { DatabaseEngine.PostgreSql, "oid", "1|2|4000000000" },
        { DatabaseEngine.PostgreSql, "xid8", "'1'|'2'|'18000000000000000000'" },
        { DatabaseEngine.MySql, "DATETIME", "'0000-00-00 00:00:00'|'2026-01-01 00:00:00'" },
        // .NET's decimal stops near 7.9 * 10^28 (MySqlConnector throws FormatException, Npgsql InvalidCastException).
        { DatabaseEngine.PostgreSql, "numeric(40,0)", "1|1000000000000000000000000000000" },
        { DatabaseEngine.MySql, "DECIMAL(40,0)", "1|1000000000000000000000000000000" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task A_key_whose_values_Swap_cannot_read_is_refused_before_anything_is_written(DatabaseEngine engine, string type, string literalList)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var literals = await CreateTableAsync(target, type, literalList);
        EngineKit.WriteSwapScript(target, Script, "20260101000000_MigrateT.cs");

        // In chunks of one key, as a large table is copied: the chunks and the applier bind keys back.
        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o =>
        {
            o.AlwaysCopy = true;
            o.Swap.OneTransactionBelowRows = 0;
            o.Swap.InitialChunkSize = 1;
            o.Swap.MinChunkSize = 1;
            o.Swap.MaxChunkSize = 1;
        }).UpAsync());

        Assert.True(e.Kind == SwapErrorKind.Refused, e.Message);
        Assert.Contains("its key column 'k' (", e.Message, StringComparison.Ordinal);
        Assert.Contains("holds values Swap cannot read or save", e.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", e.Message, StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal(literals.Length, Convert.ToInt32(await target.ScalarAsync("SELECT COUNT(*) FROM t"), CultureInfo.InvariantCulture));
        Assert.Equal(0, Convert.ToInt32(await target.ScalarAsync($"SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = '{target.Name}' AND table_name = 't' AND column_name = 'note'"), CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("money", "1|2.5|-3", "operator does not exist: money")]
    [InlineData("jsonb", "'1'|'{\"a\": 1}'", "operator does not exist: jsonb")]
    [InlineData("oid", "1|4000000000", "System.UInt32")]
    public async Task Swap_up_refuses_a_key_that_does_not_bind_back_with_its_exit_code_and_writes_nothing(string type, string literalList, string why)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        var literals = await CreateTableAsync(target, type, literalList);
        var before = Convert.ToString(await target.ScalarAsync("SELECT string_agg(k::text || '=' || v, ',' ORDER BY v) FROM t"), CultureInfo.InvariantCulture);
        var folder = EngineKit.WriteSwapScript(target, Script, "20260101000000_MigrateT.cs");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await Swap.Cli.CliApp.RunAsync(["up", "--always-copy", "--db", target.UrlText, "--migrations", folder], stdout, stderr, _ => null, target.Folder, TimeProvider.System, default);

        Assert.True(code == Swap.Cli.ExitCodes.Refused, $"exit {code}: {stderr}");
        var message = stderr.ToString();
        Assert.Contains($"its key column 'k' ({type}) holds values Swap cannot read or save", message, StringComparison.Ordinal);
        Assert.Contains(why, message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", message, StringComparison.Ordinal);
        Assert.Contains(KeyValues.UnreadableAdvice, message, StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.NotEqual("applied", await EngineKit.HistoryStatusAsync(target, "MigrateT"));
        Assert.Equal(before, Convert.ToString(await target.ScalarAsync("SELECT string_agg(k::text || '=' || v, ',' ORDER BY v) FROM t"), CultureInfo.InvariantCulture));
        Assert.Equal(literals.Length, Convert.ToInt32(await target.ScalarAsync("SELECT COUNT(*) FROM t"), CultureInfo.InvariantCulture));
        Assert.Equal(0, Convert.ToInt32(await target.ScalarAsync($"SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = '{target.Name}' AND table_name = 't' AND column_name = 'note'"), CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql)]
    [InlineData(DatabaseEngine.MySql)]
    public async Task An_unreadable_value_inside_a_composite_key_stops_the_copy_with_what_to_do(DatabaseEngine engine)
    {
        // The preflight reads the first and last keys, (1, 1) and (3, 5); the chunk boundary (2, 10^30) is found by the copy.
        await using var target = await TestTarget.CreateAsync(engine);
        await target.ExecuteAsync("CREATE TABLE t (a INT NOT NULL, b DECIMAL(40,0) NOT NULL, v INT NOT NULL, PRIMARY KEY (a, b))");
        await target.ExecuteAsync("INSERT INTO t VALUES (1, 1, 0), (2, 1000000000000000000000000000000, 1), (2, 7, 2), (3, 5, 3)");
        EngineKit.WriteSwapScript(target, Script, "20260101000000_MigrateT.cs");

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o =>
        {
            o.AlwaysCopy = true;
            o.Swap.OneTransactionBelowRows = 0;
            o.Swap.InitialChunkSize = 1;
            o.Swap.MinChunkSize = 1;
            o.Swap.MaxChunkSize = 1;
        }).UpAsync());

        Assert.True(e.Kind == SwapErrorKind.Refused, e.Message);
        Assert.Contains("Swap cannot walk 't' by its key (a, b): a key after (2, 7) holds a value Swap cannot read or save", e.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was swapped; the original is intact. Run 'swap cleanup --script MigrateT'", e.Message, StringComparison.Ordinal);
        Assert.Equal(4, Convert.ToInt32(await target.ScalarAsync("SELECT COUNT(*) FROM t"), CultureInfo.InvariantCulture));
        await EngineKit.Migrator(target).CleanupAsync(new CleanupOptions { Script = "MigrateT" });
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal(0, Convert.ToInt32(await target.ScalarAsync($"SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = '{target.Name}' AND table_name = 't' AND column_name = 'note'"), CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A FLOAT key read as 0.1 is bound back as 0.1, which the server compares in double precision
    /// with the stored 0.10000000149011612: no row matches, so logged keys are never re-synced.
    /// Refused by type, whatever values the table holds now.
    /// </summary>
    [Theory]
    [InlineData("FLOAT", "float")]
    [InlineData("FLOAT(7,3)", "float(7,3)")]
    public async Task A_float_key_is_refused_before_anything_is_written(string type, string shown)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        var literals = await CreateTableAsync(target, type, "0.1|0.5|1.3|2");
        EngineKit.WriteSwapScript(target, Script, "20260101000000_MigrateT.cs");
        var before = await MySqlForeignKeyTests.SnapshotAsync(target, "t");

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o => o.AlwaysCopy = true).UpAsync());

        Assert.True(e.Kind == SwapErrorKind.Refused, e.Message);
        Assert.Equal(7, (int)e.Kind);
        Assert.Contains($"its key column 'k' ({shown}) holds single-precision values, which the server compares with a bound key in double precision", e.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed. " + KeyValues.UnreadableAdvice, e.Message, StringComparison.Ordinal);
        Assert.Equal(before, await MySqlForeignKeyTests.SnapshotAsync(target, "t"));
        Assert.Empty(await target.HistoryIdsAsync());
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal(literals.Length, Convert.ToInt32(await target.ScalarAsync("SELECT COUNT(*) FROM t"), CultureInfo.InvariantCulture));
    }

    /// <summary>Table <c>t</c> (k of <paramref name="type"/> as its key, v) with one row per literal, v its index.</summary>
    private static async Task<string[]> CreateTableAsync(TestTarget target, string type, string literalList)
    {
        if (type == "swap_mood")
            await target.ExecuteAsync("CREATE TYPE swap_mood AS ENUM ('sad', 'ok', 'happy')");
        if (type.Contains("swap_ci", StringComparison.Ordinal))
            await target.ExecuteAsync("CREATE COLLATION swap_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)");
        var suffix = target.Engine == DatabaseEngine.MySql ? " ENGINE=InnoDB" : "";
        // A SQLite column without a type holds any storage class: keys of mixed classes compare across them.
        await target.ExecuteAsync($"CREATE TABLE t (k {(type == "ANY_MIXED" ? "" : type)} NOT NULL PRIMARY KEY, v INT NOT NULL){suffix}");
        var literals = literalList.Split('|');
        for (var i = 0; i < literals.Length; i++)
            await target.ExecuteAsync($"INSERT INTO t (k, v) VALUES ({literals[i]}, {i})");
        return literals;
    }

    private const string Script = """
        using Swap.Engine;
        public sealed class MigrateT : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var t = await db.UseTableForAlterAsync("t");
                t.AddColumn(DbColumn.BigInt("note"));
                await db.DoneUsingTablesAsync("t");
            }
        }
        """;

    [Fact]
    public async Task MySql_a_key_moved_to_another_character_set_is_checked_against_the_original_by_its_index()
    {
        // latin1 to utf8mb4: MySQL compares the two in utf8mb4, converting the original's column,
        // so each row of the copy checked against the original scanned the whole original; 20,000
        // rows took a minute, 60,000 seven. Now the copy's key is converted to the original's.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE names (k VARCHAR(30) CHARACTER SET latin1 COLLATE latin1_swedish_ci NOT NULL PRIMARY KEY, n INT) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO names SELECT CONCAT(ELT(1 + seq % 6, 'a', 'ä', 'z', 'b', 'ö', 'o'), LPAD(seq, 6, '0')), seq FROM seq_1_to_30000");
        EngineKit.WriteSwapScript(target, """
            public sealed class MigrateNames : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var t = await db.UseTableForAlterAsync("names");
                    t.GetColumn("k").SetType(ColumnType.NativeType("VARCHAR(30) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"));
                    await db.DoneUsingTablesAsync("names");
                }
            }
            """, "20260101000000_MigrateNames.cs");

        // How the lookup is written is MySqlKeyLookupTests' (a unit test); here, that it still finds every row.
        await EngineKit.Migrator(target).UpAsync();

        Assert.Equal("utf8mb4_unicode_ci", await target.ScalarAsync("SELECT COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'names' AND COLUMN_NAME = 'k'"));
        Assert.Equal("30000 450015000 5000", await target.ScalarAsync("SELECT CONCAT(COUNT(*), ' ', SUM(n), ' ', SUM(HEX(k) LIKE 'C3A4%')) FROM names"));
        Assert.Equal("ä000001", await target.ScalarAsync("SELECT k FROM names WHERE n = 1"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    private static string NamesScript(string type) => $$"""
        public sealed class MigrateNames : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var t = await db.UseTableForAlterAsync("names");
                t.GetColumn("k").SetType(ColumnType.NativeType("{{type}}"));
                await db.DoneUsingTablesAsync("names");
            }
        }
        """;

    [Theory]
    [InlineData("TEXT", "TEXT COLLATE NOCASE", true)]
    [InlineData("TEXT COLLATE NOCASE", "TEXT COLLATE BINARY", false)]
    public async Task Sqlite_a_key_moved_to_another_collation_keeps_every_row_and_compares_in_the_new_one(string from, string to, bool caseInsensitive)
    {
        // The copy's key was compared with the original's in the copy's collation, which the
        // original's index does not have: every check of a copy row scanned the original (25,000
        // rows took 28 s). How the lookup is written is SqliteKeyLookupTests'; here, that every row
        // and every write during the copy arrives, and the key compares as it now should.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await target.ExecuteAsync($"CREATE TABLE names (k {from} NOT NULL PRIMARY KEY, n INT NOT NULL)");
        await target.ExecuteAsync("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 3000) INSERT INTO names SELECT substr('aBcD', 1 + i % 4, 1) || printf('%06d', i), i FROM s");
        EngineKit.WriteSwapScript(target, NamesScript(to), "20260101000000_MigrateNames.cs");
        var wrote = false;

        await EngineKit.Migrator(target, o =>
        {
            o.AlwaysCopy = true;
            o.Swap.OneTransactionBelowRows = 0;
            o.Swap.InitialChunkSize = o.Swap.MaxChunkSize = 500;
            o.OnProgress = p =>
            {
                if (wrote || p.Phase != SwapPhase.Copying || p.RowsCopied == 0)
                    return;
                wrote = true;
                foreach (var sql in new[] { "UPDATE names SET n = -2 WHERE k = 'c000002'", "DELETE FROM names WHERE k = 'D000003'", "INSERT INTO names VALUES ('e999999', 7)", "UPDATE names SET k = 'f999998' WHERE k = 'B000001'" })
                    target.ExecuteAsync(sql).GetAwaiter().GetResult();
            };
        }).UpAsync();

        Assert.True(wrote);
        Assert.Contains(to, Convert.ToString(await target.ScalarAsync("SELECT sql FROM sqlite_master WHERE name = 'names'"), CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.DoesNotContain(to.EndsWith("BINARY", StringComparison.Ordinal) ? "NOCASE" : "BINARY", Convert.ToString(await target.ScalarAsync("SELECT sql FROM sqlite_master WHERE name = 'names'"), CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal("3000 4501500", Convert.ToString(await target.ScalarAsync("SELECT count(*) || ' ' || sum(n) FROM names"), CultureInfo.InvariantCulture));
        Assert.Equal("-2 7 1", Convert.ToString(await target.ScalarAsync("SELECT (SELECT n FROM names WHERE k = 'c000002') || ' ' || (SELECT n FROM names WHERE k = 'e999999') || ' ' || (SELECT n FROM names WHERE k = 'f999998')"), CultureInfo.InvariantCulture));
        Assert.Equal(0L, await target.ScalarAsync("SELECT count(*) FROM names WHERE k IN ('D000003', 'B000001')"));
        // 'C000002' is the row 'c000002' under NOCASE only.
        Assert.Equal(caseInsensitive ? -2L : null, await target.ScalarAsync("SELECT n FROM names WHERE k = 'C000002'"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task Sqlite_a_collation_change_that_makes_two_keys_equal_is_refused_before_anything_is_written()
    {
        // Under NOCASE 'a' and 'A' are one key: the copy would keep one of the two rows.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await target.ExecuteAsync("CREATE TABLE names (k TEXT NOT NULL PRIMARY KEY, n INT NOT NULL)");
        await target.ExecuteAsync("INSERT INTO names VALUES ('a', 1), ('b', 2), ('A', 3)");
        var before = await target.ScalarAsync("SELECT sql FROM sqlite_master WHERE name = 'names'");
        EngineKit.WriteSwapScript(target, NamesScript("TEXT COLLATE NOCASE"), "20260101000000_MigrateNames.cs");

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o => o.AlwaysCopy = true).UpAsync());

        Assert.True(e.Kind == SwapErrorKind.Refused, e.Message);
        Assert.Contains("Column 'k' of 'names' would compare with the collation NOCASE, under which the primary key holds ('A') and ('a') as one value (2 rows)", e.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, await target.ScalarAsync("SELECT sql FROM sqlite_master WHERE name = 'names'"));
        Assert.Equal("3 6", Convert.ToString(await target.ScalarAsync("SELECT count(*) || ' ' || sum(n) FROM names"), CultureInfo.InvariantCulture));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Empty(await target.HistoryIdsAsync());
    }

    [Fact]
    public async Task Sqlite_a_write_that_makes_two_keys_equal_under_the_new_collation_stops_the_swap_before_anything_is_lost()
    {
        // 'A' written during the copy is the key 'a' under NOCASE: the copy cannot hold both, and the swap must not go on without one.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await target.ExecuteAsync("CREATE TABLE names (k TEXT NOT NULL PRIMARY KEY, n INT NOT NULL)");
        await target.ExecuteAsync("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 2000) INSERT INTO names SELECT 'k' || printf('%06d', i), i FROM s");
        EngineKit.WriteSwapScript(target, NamesScript("TEXT COLLATE NOCASE"), "20260101000000_MigrateNames.cs");
        var wrote = false;

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o =>
        {
            o.AlwaysCopy = true;
            o.Swap.OneTransactionBelowRows = 0;
            o.Swap.InitialChunkSize = o.Swap.MaxChunkSize = 500;
            o.OnProgress = p =>
            {
                if (wrote || p.Phase != SwapPhase.Copying || p.RowsCopied == 0)
                    return;
                wrote = true;
                target.ExecuteAsync("INSERT INTO names VALUES ('K000001', -1)").GetAwaiter().GetResult();
            };
        }).UpAsync());

        Assert.True(wrote);
        Assert.True(e.Kind == SwapErrorKind.VerificationFailed, e.Message);
        Assert.True(e.Message.Contains("000001') is missing from the copy or differs from it. A new unique index, a key moved to another collation (under which two keys are one)", StringComparison.Ordinal), e.Message);
        Assert.Contains("Nothing was swapped", e.Message, StringComparison.Ordinal);
        Assert.Equal("2001 -1 1", Convert.ToString(await target.ScalarAsync("SELECT count(*) || ' ' || (SELECT n FROM names WHERE k = 'K000001') || ' ' || (SELECT n FROM names WHERE k = 'k000001') FROM names"), CultureInfo.InvariantCulture));
        Assert.DoesNotContain("NOCASE", Convert.ToString(await target.ScalarAsync("SELECT sql FROM sqlite_master WHERE name = 'names'"), CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private sealed class PausingThrottler(TimeSpan pause) : IThrottler
    {
        public async ValueTask WaitAsync(CancellationToken cancellationToken) => await Task.Delay(pause, cancellationToken);
    }
}
