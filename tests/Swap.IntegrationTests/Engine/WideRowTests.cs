using System.Collections.Concurrent;
using System.Globalization;
using Swap.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// Tables whose rows are documents or images (a megabyte each): the chunks and the verification's
/// ranges are sized by the rows' bytes as well as their number, and the progress says what runs.
/// </summary>
public class WideRowTests
{
    private const int Rows = 24;

    private const string Script = """
        public sealed class MigrateDocs : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var docs = await db.UseTableForAlterAsync("docs");
                docs.AddColumn(DbColumn.BigInt("body_len").FillWith(db.Engine == DatabaseEngine.MySql ? "LENGTH(body)" : "octet_length(body)"));
                docs.ForceCopy();
                await db.DoneUsingTablesAsync("docs");
            }
        }
        """;

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task Rows_of_a_megabyte_are_copied_in_chunks_of_a_few_rows_and_verification_is_shown_from_its_start(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await CreateDocsAsync(target);
        var before = await DigestsAsync(target);
        EngineKit.WriteSwapScript(target, Script);
        var reports = new ConcurrentQueue<SwapProgress>();
        // MariaDB's default chunk time, the options' default first chunk (1,000 rows), SQLite online.
        var migrator = EngineKit.Migrator(target, o =>
        {
            o.Swap.ChunkTargetTime = TimeSpan.FromMilliseconds(100);
            o.Swap.InitialChunkSize = new OnlineSwapOptions().InitialChunkSize;
            o.Swap.MinChunkSize = new OnlineSwapOptions().MinChunkSize;
            o.Swap.Progress = new SyncProgress(reports.Enqueue);
            o.Swap.OneTransactionBelowRows = 0;
        });

        var result = await migrator.UpAsync();

        Assert.Equal(["MigrateDocs"], result.Applied.Select(a => a.Id));
        // 1,000 rows of a megabyte would be one 1 GB chunk, many times the chunk time: the first
        // chunk is sized by the rows' bytes, so the table takes several.
        var copying = reports.Where(p => p.Phase == SwapPhase.Copying).ToList();
        Assert.InRange(copying[0].ChunkSize, 1, Rows / 2);
        Assert.True(copying.Count(p => p.RowsCopied > 0) >= 2, $"copied in {copying.Count(p => p.RowsCopied > 0)} chunk(s)");
        // Verification is reported when it starts (0 rows), not only once its first range is compared,
        // and its ranges are sized by bytes too (20,000 rows of a megabyte would be one 20 GB statement).
        // (PostgreSQL verifies beside the copy's key build, which the progress shows until it ends.)
        var verifying = reports.SkipWhile(p => p.Phase != SwapPhase.Verifying).ToList();
        if (engine != DatabaseEngine.PostgreSql)
            Assert.Equal(0, verifying[0].RowsCopied);
        Assert.InRange(verifying[0].ChunkSize, 1, 1000);
        Assert.Equal(Rows, verifying.Where(p => p.Phase == SwapPhase.Verifying).Max(p => p.RowsCopied));

        var after = await DigestsWithLengthAsync(target);
        Assert.Equal(before, after.Select(r => (r.Id, r.Digest)).ToList());
        Assert.All(after, r => Assert.Equal(r.Id % 3 == 0 ? 0 : 1 << 20, r.Length));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task A_backlog_of_wide_keys_is_applied_in_batches_whose_statements_fit_the_servers_packet_size()
    {
        // 6,000 keys of 3,000 bytes (two VARCHAR(1500) columns) logged at once: read as one batch of
        // the configured 20,000 keys they were one 18 MB statement, over MariaDB's default
        // max_allowed_packet of 16 MB, and the swap failed.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE wide_keys (region VARCHAR(1500) CHARACTER SET latin1 NOT NULL, name VARCHAR(1500) CHARACTER SET latin1 NOT NULL, n INT NOT NULL, PRIMARY KEY (region, name)) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO wide_keys SELECT REPEAT(CHAR(97 + seq % 3), 1500), CONCAT(LPAD(seq, 8, '0'), REPEAT('x', 1492)), seq FROM seq_1_to_6000");
        await target.ExecuteAsync("ANALYZE TABLE wide_keys");
        EngineKit.WriteSwapScript(target, """
            public sealed class MigrateWideKeys : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var t = await db.UseTableForAlterAsync("wide_keys");
                    t.AddColumn(DbColumn.Int("m").FillWith("n + 1"));
                    t.ForceCopy();
                    await db.DoneUsingTablesAsync("wide_keys");
                }
            }
            """);
        var updated = false;
        var migrator = EngineKit.Migrator(target, o =>
        {
            o.Swap.ApplyBatchSize = 20_000;
            o.Swap.InitialChunkSize = 100;
            o.Swap.MinChunkSize = 100;
            o.Swap.OneTransactionBelowRows = 0;
            // Every key logged at once, while the copy has just begun.
            o.Swap.Progress = new SyncProgress(p =>
            {
                if (p.Phase != SwapPhase.Copying || updated)
                    return;
                updated = true;
                target.ExecuteAsync("UPDATE wide_keys SET n = n + 1000000").GetAwaiter().GetResult();
            });
        });

        var result = await migrator.UpAsync();

        Assert.True(updated);
        Assert.Equal(["MigrateWideKeys"], result.Applied.Select(a => a.Id));
        var rows = await target.QueryAsync("SELECT COUNT(*) AS c, SUM(n) AS n, SUM(n <> 1000000 + CAST(LEFT(name, 8) AS UNSIGNED) OR m <> n + 1) AS wrong FROM wide_keys");
        Assert.Equal(6000L, rows[0].Int64("c"));
        Assert.Equal(0L, rows[0].Int64("wrong"));
        Assert.Equal(6000L * 1_000_000 + 6000L * 6001 / 2, rows[0].Int64("n"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary><c>docs(id, title, body)</c>: <see cref="Rows"/> rows, every third body empty, the others 1 MB that no engine compresses much.</summary>
    private static async Task CreateDocsAsync(TestTarget target)
    {
        switch (target.Engine)
        {
            case DatabaseEngine.MySql:
                await target.ExecuteAsync("CREATE TABLE docs (id BIGINT NOT NULL PRIMARY KEY, title VARCHAR(100) NOT NULL, body LONGTEXT NULL) ENGINE=InnoDB");
                await target.ExecuteAsync($"INSERT INTO docs SELECT seq, CONCAT('doc ', seq), IF(seq % 3 = 0, '', REPEAT(MD5(seq), 32768)) FROM seq_1_to_{Rows}");
                await target.ExecuteAsync("ANALYZE TABLE docs");
                break;
            case DatabaseEngine.PostgreSql:
                await target.ExecuteAsync("CREATE TABLE docs (id bigint PRIMARY KEY, title text NOT NULL, body text)");
                await target.ExecuteAsync(
                    $"INSERT INTO docs SELECT g, 'doc ' || g, CASE WHEN g % 3 = 0 THEN '' ELSE (SELECT string_agg(md5(g::text || '.' || i::text), '') FROM generate_series(1, 32768) i) END FROM generate_series(1, {Rows}) g");
                await target.ExecuteAsync("ANALYZE docs");
                break;
            default:
                await target.ExecuteAsync("CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT)");
                await target.ExecuteAsync(
                    $"WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {Rows}) INSERT INTO docs SELECT g, 'doc ' || g, CASE WHEN g % 3 = 0 THEN '' ELSE hex(randomblob(524288)) END FROM s");
                break;
        }
    }

    /// <summary>Each row's id and a digest of its title and body, computed here (SQLite has no md5).</summary>
    private static async Task<List<(long Id, string Digest)>> DigestsAsync(TestTarget target) =>
        (await target.QueryAsync("SELECT id, title, body FROM docs ORDER BY id"))
            .Select(r => (r.Int64("id")!.Value, Digest(r.String("title") + "|" + r.String("body")))).ToList();

    private static async Task<List<(long Id, string Digest, long Length)>> DigestsWithLengthAsync(TestTarget target) =>
        (await target.QueryAsync("SELECT id, title, body, body_len FROM docs ORDER BY id"))
            .Select(r => (r.Int64("id")!.Value, Digest(r.String("title") + "|" + r.String("body")), r.Int64("body_len")!.Value)).ToList();

    private static string Digest(string text) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
