using System.Diagnostics;
using System.Globalization;
using Swap.Scenarios.Online.Contenders;
using Swap.Scenarios.Online.Data;
using Swap.Scenarios.Online.Engines;
using Swap.Scenarios.Online.Load;
using Swap.Scenarios.Online.Output;

namespace Swap.Scenarios.Online;

/// <summary>
/// Runs the benchmark: for each engine, table size and load, every contender changes an identical
/// clone of the same generated table, one after the other (interleaved when repeated); under load
/// the same writer runs before and during each change. Then every table is brought to the same
/// write count and hashed, and the hashes must agree.
/// </summary>
internal sealed class BenchRunner(BenchSettings settings)
{
    private const double LatencyBucket = 0.1;

    public async Task<BenchReport> RunAsync(CancellationToken ct)
    {
        var log = settings.Log;
        await PeerTools.EnsureAsync(settings.Engines, settings.InstallPeers, log, ct);
        var engines = new List<EngineReport>();
        var report = new BenchReport(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), MachineInfo.Read(), settings.CommandLine, engines);
        foreach (var name in settings.Engines)
        {
            await using var engine = await CreateEngineAsync(name, ct);
            await using var claim = await engine.ClaimServerAsync(ct);
            var server = await engine.ServerVersionAsync(ct) + (name == "mariadb" && !settings.AutoIncrement ? "; keys without AUTO_INCREMENT (--no-autoinc)" : "");
            log($"== {name}: {server}");
            var engineReport = new EngineReport(name, server, PeerVersions(name), [])
            {
                Variant = (name == "mariadb" && !settings.AutoIncrement ? "-noautoinc" : "") + (settings.ChunkMsGiven ? FormattableString.Invariant($"-chunk{settings.ChunkMs}") : "") + (settings.AddColumnOnly ? "-addcolumn" : ""),
                ChunkMs = settings.ChunkMsGiven ? settings.ChunkMs : BenchSettings.SwapDefaultChunkMs(name),
                ChunkMsGiven = settings.ChunkMsGiven,
            };
            engines.Add(engineReport);
            try
            {
                foreach (var scenario in settings.Scenarios)
                {
                    var table = TableModel.ByName(scenario, settings.AddColumnOnly);
                    foreach (var rows in settings.Rows)
                    {
                        log($"-- {name} {table.Name} {rows:N0} rows: template");
                        var loadSeconds = await engine.EnsureTemplateAsync(table, rows, ct);
                        log(loadSeconds > 0 ? $"   loaded in {loadSeconds:F1} s ({rows / loadSeconds:N0} rows/s)" : "   cached template reused");
                        for (var round = 1; round <= settings.Repeat; round++)
                        {
                            foreach (var load in settings.Loads)
                                engineReport.Groups.Add(await RunGroupAsync(engine, table, rows, load, round, loadSeconds, ct));
                        }
                    }
                }
            }
            finally
            {
                await CleanUpEngineAsync(engine, ct);
            }
        }
        report.LoadAverageEnd = MachineInfo.LoadAverage();
        return report;
    }

    private async Task<BenchEngine> CreateEngineAsync(string name, CancellationToken ct)
    {
        switch (name)
        {
            case "mariadb":
                return new MariaDbEngine(DatabaseUrl.Parse(settings.MySqlUrl ?? throw new InvalidOperationException("No MariaDB server: set SWAP_TEST_MYSQL or pass --mysql.")), settings.Prefix, settings.AutoIncrement);
            case "postgres":
                var pg = new PostgresEngine(DatabaseUrl.Parse(settings.PostgresUrl ?? throw new InvalidOperationException("No PostgreSQL server: set SWAP_TEST_POSTGRES or pass --postgres.")), settings.Prefix, settings.TraceAutovacuum);
                await pg.InitializeAsync(ct);
                return pg;
            default:
                return new SqliteEngine(settings.WorkDir, settings.Prefix);
        }
    }

    /// <summary>Runs that made their own prefix (the smoke test) remove their templates and databases too.</summary>
    private async Task CleanUpEngineAsync(BenchEngine engine, CancellationToken ct)
    {
        if (!settings.DropTemplates)
            return;
        switch (engine)
        {
            case PostgresEngine pg:
                await pg.DropDatabaseAsync(ct);
                break;
            case MariaDbEngine:
                await engine.DropWorkspaceAsync(settings.Prefix + "_tpl", ct);
                break;
            case SqliteEngine sqlite:
                sqlite.DropTemplates();
                break;
        }
    }

    private static List<string> PeerVersions(string engine) => engine switch
    {
        "mariadb" => [ToolProcess.FirstLine("pt-online-schema-change", "--version") ?? "pt-online-schema-change: not found"],
        "postgres" => [ToolProcess.FirstLine("pg_repack", "--version") ?? "pg_repack: not found"],
        _ => [],
    };

    private async Task<GroupReport> RunGroupAsync(BenchEngine engine, TableModel table, long rows, string load, int round, double loadSeconds, CancellationToken ct)
    {
        var log = settings.Log;
        var loaded = load != "idle";
        var group = new GroupReport(table.Name, rows, load, round, loadSeconds, loaded ? settings.Rate : 0, []) { Writers = loaded ? settings.Writers : 0 };
        var contenders = engine.Contenders
            .Where(c => settings.Contenders.Count == 0 ? !c.OnRequest : settings.Contenders.Contains(c.Id))
            .Where(c => !loaded || c.RunsUnderLoad)
            .ToList();
        var writes = new Dictionary<string, long>();
        foreach (var contender in contenders)
        {
            var result = new ContenderResult(contender.Id, contender.Title);
            group.Contenders.Add(result);
            try
            {
                writes[contender.Id] = await RunContenderAsync(engine, table, rows, load, round, contender, result, ct);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or SwapException or InvalidOperationException or IOException)
            {
                // The servers are shared (other suites restart them): record the failure and go on.
                result.Error ??= e.Message;
                writes[contender.Id] = 0;
            }
            log(FormattableString.Invariant($"   [{load} #{round}] {contender.Id}: {result.WallSeconds:F2} s, {result.RowsPerSecond:N0} rows/s") +
                (result.PeakRssMb is { } m ? FormattableString.Invariant($", peak RSS {m:F0} MB") : "") +
                (result.WriterDuring is { } w ? FormattableString.Invariant($", writer p99 {result.WriterBefore!.P99:F1} -> {w.P99:F1} ms, max {w.Max:F0} ms") : "") +
                (result.CutOverStallMs is { } cs ? FormattableString.Invariant($", cut-over stall {cs:F0} ms") : "") +
                (result.CutOverLockMs is { } lk ? FormattableString.Invariant($", cut-over lock held {lk:F0} ms") : "") +
                (result.BacklogPeak is { } bp ? FormattableString.Invariant($", backlog peak {bp:N0} (at cut-over {result.BacklogAtCutOver?.ToString("N0", CultureInfo.InvariantCulture) ?? "?"})") : "") +
                (result.Error is { } err ? "  ERROR " + err : ""));
        }

        // Same write count everywhere, then compare content.
        var lossy = loaded
            ? contenders.Where(c => !c.KeepsWrites).Select(c => c.Id).ToHashSet()
            : [];
        var target = writes.Where(w => !lossy.Contains(w.Key)).Select(w => w.Value).DefaultIfEmpty(0).Max();
        group.WritesCompared = target;
        foreach (var result in group.Contenders)
        {
            var workspace = $"{settings.Prefix}_{result.Id}";
            result.Writes = writes[result.Id];
            try
            {
                if (result.Error is null && !lossy.Contains(result.Id))
                {
                    result.TopUpWrites = await TopUp.RunAsync(engine, table, workspace, rows, writes[result.Id], target, ct);
                    (result.Hash, result.FinalRows) = await engine.HashAsync(workspace, table, ct);
                }
                if (!settings.Keep)
                    await engine.DropWorkspaceAsync(workspace, ct);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or SwapException)
            {
                result.Error ??= "content check: " + e.Message;
            }
        }
        if (loaded && settings.Oracle && target > 0)
        {
            try
            {
                group.OracleHash = await OracleHashAsync(engine, table, rows, target, ct);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
            {
                log($"   [{load} #{round}] oracle failed, contenders compared with each other only: {e.Message}");
            }
        }
        var hashes = group.Contenders.Where(r => r.Hash is not null).Select(r => r.Hash).ToList();
        foreach (var result in group.Contenders.Where(r => lossy.Contains(r.Id)))
            result.Notes = (result.Notes is null ? "" : result.Notes + "; ") + "content not compared: a floor that loses the writes made while it runs";
        var reference = group.OracleHash ?? hashes.GroupBy(h => h).OrderByDescending(g => g.Count()).FirstOrDefault()?.Key;
        foreach (var result in group.Contenders.Where(r => r.Hash is not null))
            result.SameContent = result.Hash == reference;
        group.ContentMatch = group.Contenders.Where(r => !lossy.Contains(r.Id)).All(r => r.SameContent == true);
        log($"   [{load} #{round}] content after {target:N0} writes: {(group.ContentMatch ? "identical in every contender" + (group.OracleHash is null ? "" : " and the oracle") : "DIFFERENT: " + (group.OracleHash is null ? "" : $"oracle={group.OracleHash[..12]}, ") + string.Join(", ", group.Contenders.Select(r => $"{r.Id}={r.Hash?[..12] ?? "failed"}")))}");
        return group;
    }

    /// <summary>
    /// The oracle for a loaded group: a fresh clone changed by the engine's native ALTER with no
    /// writer running, then writes 0 to <paramref name="writes"/> applied in order on one connection
    /// (the top-up path). Every contender must end with this content whatever the writer's
    /// connections and the tool did.
    /// </summary>
    private async Task<string?> OracleHashAsync(BenchEngine engine, TableModel table, long rows, long writes, CancellationToken ct)
    {
        var workspace = $"{settings.Prefix}_oracle";
        var native = engine.Contenders.Single(c => c.Id == "native");
        try
        {
            await engine.CloneAsync(table, rows, workspace, ct);
            await native.RunAsync(new RunContext(engine, table, workspace, settings, Stopwatch.StartNew(), 0), ct);
            await TopUp.RunAsync(engine, table, workspace, rows, 0, writes, ct);
            return (await engine.HashAsync(workspace, table, ct)).Hash;
        }
        finally
        {
            await engine.DropWorkspaceAsync(workspace, ct);
        }
    }

    /// <summary>One contender on a fresh clone, with the writer around it when loaded; returns the writes the writer completed.</summary>
    private async Task<long> RunContenderAsync(BenchEngine engine, TableModel table, long rows, string load, int round, Contender contender, ContenderResult result, CancellationToken ct)
    {
        var log = settings.Log;
        var workspace = $"{settings.Prefix}_{contender.Id}";
        log($"   [{load} #{round}] {contender.Id}: cloning {rows:N0} rows into {workspace}");
        await engine.CloneAsync(table, rows, workspace, ct);
        var settled = await engine.SettleAsync(ct);
        if (settled > 0)
            log(FormattableString.Invariant($"   [{load} #{round}] {contender.Id}: server settled in {settled:F1} s (clone's pages written out)"));
        var clock = Stopwatch.StartNew();
        Writer? writer = null;
        if (load != "idle")
        {
            var connections = new List<System.Data.Common.DbConnection>();
            for (var i = 0; i < settings.Writers; i++)
                connections.Add(await engine.OpenAsync(workspace, ct));
            writer = new Writer(engine, table, connections, rows, settings.Rate, clock);
            writer.Start();
            await Task.Delay(TimeSpan.FromSeconds(settings.BaselineSeconds), ct);
        }
        var origin = clock.Elapsed.TotalSeconds;
        var context = new RunContext(engine, table, workspace, settings, clock, origin);
        log(FormattableString.Invariant($"   [{load} #{round}] {contender.Id}: running (started {DateTime.UtcNow:HH:mm:ss.fff} UTC)"));
        try
        {
            var outcome = await contender.RunAsync(context, ct);
            result.WallSeconds = context.Now;
            result.PeakRssMb = outcome.PeakRssMb;
            result.CpuSeconds = outcome.CpuSeconds;
            result.MemorySource = outcome.MemorySource;
            result.Version = outcome.Version;
            result.Chunks = outcome.Chunks;
            result.Notes = outcome.Notes;
            result.CutOverAttempts = outcome.CutOverAttempts;
            result.CutOverLockMs = outcome.CutOverAttempts?.LastOrDefault(a => a.Succeeded)?.Ms;
            if (outcome.Backlog is { } backlog)
            {
                result.Backlog = backlog.Select(p => new[] { p.T, p.Rows }).ToList();
                result.BacklogPeak = backlog.Count > 0 ? backlog.Max(p => p.Rows) : null;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            result.WallSeconds = context.Now;
            result.Error = e.Message;
            log($"   [{load} #{round}] {contender.Id}: FAILED: {e.Message}");
        }
        result.RowsPerSecond = rows / Math.Max(1e-9, result.WallSeconds);
        result.Phases = Spans(context.Phases, result.WallSeconds);
        result.Progress = [new ProgressPoint(0, 0), .. context.Progress, new ProgressPoint(result.WallSeconds, result.Error is null ? 1 : context.Progress.LastOrDefault()?.Fraction ?? 0)];
        result.CutOver = result.Phases.FirstOrDefault(p => p.Phase is "CuttingOver" or "cutover");
        if (result.Backlog is { } series && result.CutOver is { } cutOver)
            result.BacklogAtCutOver = series.LastOrDefault(p => p[0] <= cutOver.Start) is { } at ? (long)at[1] : null;
        long completed = 0;
        if (writer is not null)
        {
            await Task.Delay(TimeSpan.FromSeconds(settings.TailSeconds), ct);
            try
            {
                await writer.StopAsync();
            }
            catch (InvalidOperationException e)
            {
                result.Error = (result.Error is null ? "" : result.Error + "; ") + e.Message;
            }
            Summarize(result, writer, origin);
            completed = writer.Completed;
        }
        result.Shape = await engine.DescribeAsync(workspace, table, ct);
        if (result.Error is null && !Changed(result.Shape, table))
            result.Error = $"the change is not in place: columns {string.Join(",", result.Shape.Columns)}; indexes {string.Join(",", result.Shape.Indexes)}";
        return completed;
    }

    private static bool Changed(TableShape shape, TableModel table) =>
        shape.Columns.Contains(table.Change.Added.Name, StringComparer.OrdinalIgnoreCase)
        && (table.Change.AddOnly || shape.Indexes.Contains(table.Change.Index.Name, StringComparer.OrdinalIgnoreCase));

    private static List<BenchPhase> Spans(IReadOnlyList<PhaseMark> marks, double end) =>
        marks.Select((m, i) => new BenchPhase(m.Phase, m.T, i + 1 < marks.Count ? marks[i + 1].T : end)).ToList();

    private static void Summarize(ContenderResult result, Writer writer, double origin)
    {
        var samples = writer.Samples.Select(s => s with { Intended = s.Intended - origin }).ToList();
        (result.WriterBefore, result.WriterDuring) = LatencyStats.Split(samples, result.WallSeconds);
        result.P99Ratio = result.WriterBefore.P99 > 0 ? result.WriterDuring.P99 / result.WriterBefore.P99 : null;
        result.LongestStallMs = result.WriterDuring.Max;
        result.WriteRetries = writer.Retries;
        if (result.CutOver is { } cut)
            result.CutOverStallMs = LatencyStats.Of(samples, cut.Start - 0.1, cut.End).Max;
        result.Latency = samples
            .GroupBy(s => Math.Floor(s.Intended / LatencyBucket))
            .OrderBy(g => g.Key)
            .Select(g => new[] { Math.Round(g.Key * LatencyBucket, 2), Math.Round(g.Max(s => s.LatencyMs), 2) })
            .ToList();
    }
}
