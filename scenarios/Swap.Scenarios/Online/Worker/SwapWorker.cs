using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Swap.Dialects;
using Swap.Discovery;
using Swap.Engine;
using Swap.MySql;
using Swap.PostgreSql;
using Swap.Running;
using Swap.Sqlite;

namespace Swap.Scenarios.Online.Worker;

/// <summary>
/// <c>swap-worker --table users [--chunk-ms 500] [--add-column] [--always-copy] [--sqlite-indexes-after-copy]</c>, target URL in <c>SWAP_BENCH_URL</c>: runs the
/// benchmark change through the Swap library in a process of its own, so the harness can measure
/// Swap's peak memory without its own (data generation, the writer, charts). Prints one JSON line
/// per progress snapshot, one per cut-over attempt (how long it ran with its locks requested or
/// held, and whether it swapped) and a last line with its peak RSS (VmHWM) and CPU time.
/// </summary>
internal static class SwapWorker
{
    public const string UrlVariable = "SWAP_BENCH_URL";

    public static async Task<int> RunAsync(string[] args)
    {
        var table = "users";
        int? chunkMs = null;
        double? windowSeconds = null;
        var addColumn = false;
        var alwaysCopy = false;
        var indexesAfterCopy = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--table" when i + 1 < args.Length: table = args[++i]; break;
                case "--chunk-ms" when i + 1 < args.Length: chunkMs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--revert-window-seconds" when i + 1 < args.Length: windowSeconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--add-column": addColumn = true; break;
                case "--always-copy": alwaysCopy = true; break;
                case "--sqlite-indexes-after-copy": indexesAfterCopy = true; break;
                default: Console.Error.WriteLine($"swap-worker: unknown argument '{args[i]}'"); return 2;
            }
        }
        var text = Environment.GetEnvironmentVariable(UrlVariable);
        if (string.IsNullOrEmpty(text))
        {
            Console.Error.WriteLine($"swap-worker: {UrlVariable} is not set.");
            return 2;
        }
        var url = DatabaseUrl.Parse(text);
        SwapDatabase db = url.Engine switch
        {
            DatabaseEngine.MySql => new MySqlDatabase(url),
            DatabaseEngine.PostgreSql => new PostgresDatabase(url),
            _ => new SqliteDatabase(url),
        };
        var clock = Stopwatch.StartNew();
        var options = new MigratorOptions();
        // A widening cannot be taken back exactly, so the revert-window variant keeps the column's type.
        options.Sources.Add(MigrationSource.Types("bench", (table, windowSeconds) switch
        {
            ("users", _) when addColumn => typeof(BenchAddColumnUsers),
            (_, _) when addColumn => typeof(BenchAddColumnAttachments),
            ("users", null) => typeof(BenchChangeUsers),
            ("users", _) => typeof(BenchChangeUsersRevertible),
            (_, null) => typeof(BenchChangeAttachments),
            _ => typeof(BenchChangeAttachmentsRevertible),
        }));
        options.AlwaysCopy = alwaysCopy;
        options.Swap.SqliteIndexesAfterCopy = indexesAfterCopy ? true : null;
        if (windowSeconds is not null)
            options.Swap.RevertWindow = TimeSpan.FromHours(24);
        if (chunkMs is { } ms)
            options.Swap.ChunkTargetTime = TimeSpan.FromMilliseconds(ms);
        options.Swap.Progress = new JsonLines(clock);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var migrator = new Migrator(db, options) { Listener = new CutOverLines(clock) };
        var result = await migrator.UpAsync(new UpOptions(), cancel.Token);
        if (windowSeconds is { } open && result.Applied.Count == 1)
        {
            // The window is open: every write to the table now also pays the reverse capture.
            Emit(new { t = clock.Elapsed.TotalSeconds, phase = "WindowOpen", rows = 0L, est = 0L, chunk = 0, rate = 0.0, rss_mb = Environment.WorkingSet / 1048576.0 });
            await Task.Delay(TimeSpan.FromSeconds(open), cancel.Token);
            Emit(new { t = clock.Elapsed.TotalSeconds, phase = "FinishingWindow", rows = 0L, est = 0L, chunk = 0, rate = 0.0, rss_mb = Environment.WorkingSet / 1048576.0 });
            await migrator.FinishAsync(result.Applied[0].Id, cancel.Token);
        }
        var process = Process.GetCurrentProcess();
        Emit(new
        {
            done = true,
            t = clock.Elapsed.TotalSeconds,
            applied = result.Applied.Count,
            hwm_mb = StatusMb("VmHWM:"),
            cpu_s = process.TotalProcessorTime.TotalSeconds,
            gc_heap_mb = GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0,
            allocated_mb = GC.GetTotalAllocatedBytes() / 1048576.0,
            gcs = GC.CollectionCount(0),
        });
        return result.Applied.Count == 1 ? 0 : 3;
    }

    private static void Emit(object value)
    {
        lock (Console.Out)
            Console.Out.WriteLine(JsonSerializer.Serialize(value));
    }

    private static double? StatusMb(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
        return null;
    }

    /// <summary>Writes each cut-over attempt as it ends; the rest of the run is in the progress snapshots.</summary>
    private sealed class CutOverLines(Stopwatch clock) : IRunListener
    {
        public void ScriptStarted(string scriptId, ScriptKind kind, ExecutionMode mode)
        {
        }

        public void ScriptFinished(string scriptId, TimeSpan duration, Exception? error)
        {
        }

        public void StepFinished(string scriptId, int step, string op, string description, ExecutionMode mode, TimeSpan duration, Exception? error)
        {
        }

        public void CutOverAttempted(string scriptId, IReadOnlyList<string> tables, int attempt, TimeSpan duration, bool succeeded) => Emit(new
        {
            t = clock.Elapsed.TotalSeconds,
            cutover = attempt,
            ms = duration.TotalMilliseconds,
            ok = succeeded,
        });
    }

    /// <summary>Writes each snapshot as it comes (synchronously, unlike <see cref="Progress{T}"/>).</summary>
    private sealed class JsonLines(Stopwatch clock) : IProgress<SwapProgress>
    {
        public void Report(SwapProgress value) => Emit(new
        {
            t = clock.Elapsed.TotalSeconds,
            phase = value.Phase.ToString(),
            rows = value.RowsCopied,
            est = value.RowsEstimated,
            chunk = value.ChunkSize,
            rate = value.RowsPerSecond,
            rss_mb = Environment.WorkingSet / 1048576.0,
        });
    }
}
