using System.Globalization;
using System.Text.RegularExpressions;
using Swap.Scenarios.Online.Engines;

namespace Swap.Scenarios.Online.Contenders;

/// <summary>MariaDB's own <c>ALTER TABLE ... ALGORITHM=COPY, LOCK=SHARED</c>: reads go on, writes wait for the whole copy.</summary>
internal sealed class MariaDbNativeAlter : Contender
{
    public override string Id => "native";

    public override string Title => "ALTER TABLE ... ALGORITHM=COPY (--change add-column: the server's choice, INSTANT)";

    public static string AlterClause(BenchEngine e, Data.TableModel t)
    {
        var ch = t.Change;
        if (ch.AddOnly)
            return $"ADD COLUMN {e.ColumnSql(ch.Added, false, null)} AFTER {e.Quote(ch.After)}";
        var widened = t.Columns.Single(c => c.Name == ch.Widened);
        return $"ADD COLUMN {e.ColumnSql(ch.Added, false, ch.Default)} AFTER {e.Quote(ch.After)}, " +
               $"MODIFY COLUMN {e.ColumnSql(widened, true, null)}, " +
               $"ADD INDEX {e.Quote(ch.Index.Name)} ({string.Join(", ", ch.Index.Columns.Select(e.Quote))})";
    }

    public override async Task<ContenderOutcome> RunAsync(RunContext context, CancellationToken ct)
    {
        var e = context.Engine;
        await using var c = await e.OpenAsync(context.Workspace, ct);
        var id = Convert.ToInt64(await c.ScalarAsync("SELECT CONNECTION_ID()", ct), CultureInfo.InvariantCulture);
        await using var probeConnection = await e.OpenAsync(context.Workspace, ct);
        context.Mark("alter");
        await using (new Poller(
            async t =>
            {
                // MariaDB reports ALTER TABLE progress per stage (copy, then index build) in the process list.
                var p = await probeConnection.ColumnAsync("SELECT CONCAT_WS(' ', STAGE, MAX_STAGE, PROGRESS) FROM information_schema.PROCESSLIST WHERE ID = @id", t, ("@id", id));
                if (p.FirstOrDefault()?.Split(' ') is [var stage, var stages, var percent] && double.Parse(stages, CultureInfo.InvariantCulture) > 0)
                    context.Report((double.Parse(stage, CultureInfo.InvariantCulture) - 1 + (double.Parse(percent, CultureInfo.InvariantCulture) / 100)) / double.Parse(stages, CultureInfo.InvariantCulture));
            },
            TimeSpan.FromMilliseconds(200),
            ct))
        {
            var algorithm = context.Table.Change.AddOnly ? "" : ", ALGORITHM=COPY, LOCK=SHARED";
            await c.ExecAsync($"ALTER TABLE {e.Quote(context.Table.Name)} {AlterClause(e, context.Table)}{algorithm}", ct);
        }
        context.Report(1);
        return new ContenderOutcome();
    }
}

/// <summary>Percona's <c>pt-online-schema-change</c> (Debian <c>percona-toolkit</c>) with its defaults and the same chunk time as Swap.</summary>
internal sealed partial class PtOnlineSchemaChange : Contender
{
    public override string Id => "ptosc";

    public override string Title => "pt-online-schema-change";

    public override async Task<ContenderOutcome> RunAsync(RunContext context, CancellationToken ct)
    {
        var e = (MariaDbEngine)context.Engine;
        var server = e.Server;
        var defaults = Path.GetTempFileName();
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(defaults, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(defaults, $"[client]\npassword={server.Password}\n", ct);
        try
        {
            var dsn = $"h={server.Host},P={server.Port ?? 3306},u={server.User},F={defaults},D={context.Workspace},t={context.Table.Name}";
            string[] args =
            [
                "--alter", MariaDbNativeAlter.AlterClause(e, context.Table),
                "--execute", "--noversion-check", "--recursion-method=none", "--progress=time,1",
                // Its own default (0.5 s) unless --chunk-ms gives every tool the same.
                .. context.Settings.ChunkMsGiven ? new[] { "--chunk-time=" + (context.Settings.ChunkMs / 1000.0).ToString(CultureInfo.InvariantCulture) } : [],
                "--charset=utf8mb4", dsn,
            ];
            context.Mark("start");
            var exit = await ToolProcess.RunAsync("pt-online-schema-change", args, null, line => OnLine(context, line), ct);
            if (exit.Code != 0)
                throw new InvalidOperationException($"pt-online-schema-change exited with {exit.Code}:\n{string.Join('\n', exit.Tail)}");
            context.Report(1);
            return new ContenderOutcome
            {
                PeakRssMb = exit.PeakRssMb,
                CpuSeconds = exit.CpuSeconds,
                MemorySource = "GNU time maxrss of the perl process",
                Version = ToolProcess.FirstLine("pt-online-schema-change", "--version"),
            };
        }
        finally
        {
            File.Delete(defaults);
        }
    }

    private static void OnLine(RunContext context, string line)
    {
        // Most lines start with an ISO timestamp: "2026-11-21T08:36:40 Copied rows OK."
        line = Stamp().Replace(line, "");
        if (Percent().Match(line) is { Success: true } m)
        {
            context.Mark("copy");
            context.Report(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) / 100.0);
            return;
        }
        var phase = line switch
        {
            _ when line.StartsWith("Creating new table", StringComparison.Ordinal) => "create",
            _ when line.StartsWith("Creating triggers", StringComparison.Ordinal) => "triggers",
            _ when line.StartsWith("Copying approximately", StringComparison.Ordinal) => "copy",
            _ when line.StartsWith("Copied rows OK", StringComparison.Ordinal) => "analyze",
            _ when line.StartsWith("Swapping tables", StringComparison.Ordinal) => "cutover",
            _ when line.StartsWith("Dropping old table", StringComparison.Ordinal) => "drop-old",
            _ when line.StartsWith("Dropping triggers", StringComparison.Ordinal) => "drop-triggers",
            _ => null,
        };
        if (phase is not null)
        {
            context.Mark(phase);
            if (phase == "analyze")
                context.Report(1);
        }
    }

    [GeneratedRegex(@"^Copying `[^`]+`\.`[^`]+`:\s+(\d+)%")]
    private static partial Regex Percent();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\s+")]
    private static partial Regex Stamp();
}

/// <summary>
/// The floor: one server-side <c>INSERT ... SELECT</c> into a copy with only its primary key (the
/// InnoDB clustered index), then the secondary indexes in one ALTER, then the rename. Not online:
/// writes made meanwhile would be lost, so it runs idle only.
/// </summary>
internal class MariaDbLimit : Contender
{
    public override string Id => "limit";

    public override string Title => "limit: INSERT ... SELECT + index build";

    public override bool KeepsWrites => false;

    public override async Task<ContenderOutcome> RunAsync(RunContext context, CancellationToken ct)
    {
        var e = (MariaDbEngine)context.Engine;
        var t = context.Table;
        var name = e.Quote(t.Name);
        var copy = e.Quote($"{t.Name}_{Id}");
        var old = e.Quote($"{t.Name}_{Id}_old");
        await using var c = await e.OpenAsync(context.Workspace, ct);
        context.Mark("create");
        await c.ExecAsync($"DROP TABLE IF EXISTS {copy}", ct);
        await c.ExecAsync(e.CreateTableSql(t, copy, changed: true), ct);
        context.Mark("copy");
        var columns = string.Join(", ", t.Columns.Select(col => e.Quote(col.Name)));
        var outcome = await CopyAsync(context, c, name, copy, columns, ct);
        context.Report(1);
        context.Mark("indexes");
        await c.ExecAsync($"ALTER TABLE {copy} {string.Join(", ", (t.Change.AddOnly ? t.Indexes : t.Indexes.Append(t.Change.Index)).Select(e.AddIndex))}", ct);
        context.Mark("cutover");
        await c.ExecAsync($"RENAME TABLE {name} TO {old}, {copy} TO {name}", ct);
        context.Mark("drop-old");
        await c.ExecAsync($"DROP TABLE {old}", ct);
        return outcome;
    }

    /// <summary>Fills the copy: here with one statement.</summary>
    protected virtual async Task<ContenderOutcome> CopyAsync(RunContext context, System.Data.Common.DbConnection c, string name, string copy, string columns, CancellationToken ct)
    {
        await c.ExecAsync($"INSERT INTO {copy} ({columns}) SELECT {columns} FROM {name}", ct);
        return new ContenderOutcome();
    }
}

/// <summary>
/// The floor of an online copy: what any tool that copies the table in key-range chunks must make
/// the server do, and nothing else: one <c>INSERT ... SELECT</c> per chunk (READ COMMITTED, no
/// row locks, sized to the same chunk time as Swap's) into a copy with only its primary key, then
/// the secondary indexes in one ALTER, then the rename. No capture, no applier, no verification:
/// the writes made meanwhile are lost, so under load its content is not compared; it runs there
/// only to show what the physical work alone costs the application's writes. On request only
/// (<c>--contenders floor</c>).
/// </summary>
internal sealed class MariaDbChunkedFloor : MariaDbLimit
{
    public override string Id => "floor";

    public override string Title => "floor: chunked INSERT ... SELECT + index build, no capture (loses writes)";

    public override bool RunsUnderLoad => true;

    public override bool OnRequest => true;

    protected override async Task<ContenderOutcome> CopyAsync(RunContext context, System.Data.Common.DbConnection c, string name, string copy, string columns, CancellationToken ct)
    {
        var target = TimeSpan.FromMilliseconds(context.Settings.ChunkMsGiven ? context.Settings.ChunkMs : BenchSettings.SwapDefaultChunkMs("mariadb"));
        await c.ExecAsync("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", ct);
        var low = Convert.ToInt64(await c.ScalarAsync($"SELECT COALESCE(MIN(id), 0) FROM {name}", ct), CultureInfo.InvariantCulture);
        var high = Convert.ToInt64(await c.ScalarAsync($"SELECT COALESCE(MAX(id), 0) FROM {name}", ct), CultureInfo.InvariantCulture);
        var chunks = new List<ChunkRecord>();
        long size = 1000, next = low, copied = 0;
        while (next <= high)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            copied += await c.ExecAsync($"INSERT INTO {copy} ({columns}) SELECT {columns} FROM {name} WHERE id >= @a AND id < @b", ct, ("@a", next), ("@b", next + size));
            chunks.Add(new ChunkRecord(context.Now, copied, (int)size));
            next += size;
            context.Report(Math.Min(1, (double)(next - low) / Math.Max(1, high - low + 1)));
            // The same kind of sizing as every chunker: toward the target time, at most doubling.
            var ms = Math.Max(1, clock.Elapsed.TotalMilliseconds);
            size = Math.Clamp((long)(size * target.TotalMilliseconds / ms), size / 2, size * 2);
        }
        return new ContenderOutcome { Chunks = chunks };
    }
}
