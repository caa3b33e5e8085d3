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
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task Rows_of_a_megabyte_are_copied_in_chunks_of_a_few_rows_and_verification_is_shown_from_its_start(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await CreateDocsAsync(target);
        var before = await DigestsAsync(target);
        EngineKit.WriteSwapScript(target, Script);
        var reports = new ConcurrentQueue<SwapProgress>();
        // MariaDB's default chunk time, and the options' default first chunk (1,000 rows).
        var migrator = EngineKit.Migrator(target, o =>
        {
            o.Swap.ChunkTargetTime = TimeSpan.FromMilliseconds(100);
            o.Swap.InitialChunkSize = new OnlineSwapOptions().InitialChunkSize;
            o.Swap.MinChunkSize = new OnlineSwapOptions().MinChunkSize;
            o.Swap.Progress = new SyncProgress(reports.Enqueue);
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
        if (engine == DatabaseEngine.MySql)
            Assert.Equal(0, verifying[0].RowsCopied);
        Assert.InRange(verifying[0].ChunkSize, 1, 1000);
        Assert.Equal(Rows, verifying.Where(p => p.Phase == SwapPhase.Verifying).Max(p => p.RowsCopied));

        var after = await DigestsWithLengthAsync(target);
        Assert.Equal(before, after.Select(r => (r.Id, r.Digest)).ToList());
        Assert.All(after, r => Assert.Equal(r.Id % 3 == 0 ? 0 : 1 << 20, r.Length));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary><c>docs(id, title, body)</c>: <see cref="Rows"/> rows, every third body empty, the others 1 MB that no engine compresses much.</summary>
    private static async Task CreateDocsAsync(TestTarget target)
    {
        if (target.Engine == DatabaseEngine.MySql)
        {
            await target.ExecuteAsync("CREATE TABLE docs (id BIGINT NOT NULL PRIMARY KEY, title VARCHAR(100) NOT NULL, body LONGTEXT NULL) ENGINE=InnoDB");
            await target.ExecuteAsync($"INSERT INTO docs SELECT seq, CONCAT('doc ', seq), IF(seq % 3 = 0, '', REPEAT(MD5(seq), 32768)) FROM seq_1_to_{Rows}");
            await target.ExecuteAsync("ANALYZE TABLE docs");
        }
        else
        {
            await target.ExecuteAsync("CREATE TABLE docs (id bigint PRIMARY KEY, title text NOT NULL, body text)");
            await target.ExecuteAsync(
                $"INSERT INTO docs SELECT g, 'doc ' || g, CASE WHEN g % 3 = 0 THEN '' ELSE (SELECT string_agg(md5(g::text || '.' || i::text), '') FROM generate_series(1, 32768) i) END FROM generate_series(1, {Rows}) g");
            await target.ExecuteAsync("ANALYZE docs");
        }
    }

    private static async Task<List<(long Id, string Digest)>> DigestsAsync(TestTarget target) =>
        (await target.QueryAsync("SELECT id, md5(concat(title, '|', body)) AS d FROM docs ORDER BY id"))
            .Select(r => (r.Int64("id")!.Value, r.String("d")!)).ToList();

    private static async Task<List<(long Id, string Digest, long Length)>> DigestsWithLengthAsync(TestTarget target) =>
        (await target.QueryAsync("SELECT id, md5(concat(title, '|', body)) AS d, body_len FROM docs ORDER BY id"))
            .Select(r => (r.Int64("id")!.Value, r.String("d")!, r.Int64("body_len")!.Value)).ToList();
}
