using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Control;

/// <summary>The <c>Swap</c> meter: its instruments during a real swap, and the CLI's plain-text endpoint.</summary>
public class MetricsTests
{
    [Fact]
    public async Task The_Swap_meter_counts_rows_copied_and_applied_chunks_and_cut_over_attempts()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        // A table name no other test uses: the meter is process-wide and tests run in parallel.
        var table = "metered_" + Guid.NewGuid().ToString("N")[..8];
        await EngineKit.CreateItemsAsync(target, 1500, table);
        EngineKit.WriteSwapScript(target, EngineKit.SwapScript.Replace("\"items\"", $"\"{table}\"", StringComparison.Ordinal));

        var copied = 0L;
        var applied = 0L;
        var chunks = 0;
        var attempts = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SwapMetrics.MeterName)
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tagged = tags.ToArray();
            if (instrument.Name == "swap.cutover.attempts")
            {
                lock (attempts)
                    attempts.Add((string)tagged.Single(t => t.Key == "outcome").Value!);
            }
            else if (tagged.Any(t => t.Key == "table" && (string?)t.Value == table))
            {
                if (instrument.Name == "swap.rows.copied")
                    Interlocked.Add(ref copied, value);
                else if (instrument.Name == "swap.rows.applied")
                    Interlocked.Add(ref applied, value);
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            if (instrument.Name == "swap.chunk.time" && tags.ToArray().Any(t => t.Key == "table" && (string?)t.Value == table))
                Interlocked.Increment(ref chunks);
        });
        listener.Start();

        var written = 0;
        var migrator = EngineKit.Migrator(target, o => o.Swap.Progress = new SyncProgress(p =>
        {
            // One application write while the copy runs, for the applier to apply.
            if (p.Phase == SwapPhase.Copying && p.RowsCopied > 0 && Interlocked.Exchange(ref written, 1) == 0)
                target.ExecuteAsync($"UPDATE {table} SET n = 1 WHERE id = 1").GetAwaiter().GetResult();
        }));
        await migrator.UpAsync();

        Assert.Equal(1500, Interlocked.Read(ref copied));
        Assert.True(chunks >= 3, $"{chunks} chunk(s) timed");
        Assert.True(Interlocked.Read(ref applied) >= 1, "the write made during the copy was applied");
        lock (attempts)
            Assert.Contains("succeeded", attempts);
    }

    /// <summary>Reports on the copier's own thread, so the write lands while the copy runs.</summary>
    private sealed class SyncProgress(Action<SwapProgress> report) : IProgress<SwapProgress>
    {
        public void Report(SwapProgress value) => report(value);
    }

    [Fact]
    public async Task Up_with_metrics_serves_the_instruments_as_prometheus_text()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await OperatorKit.ArrangeAsync(target);
        await OperatorKit.Control(target).PauseAsync();
        var port = FreePort();
        using var runner = OperatorKit.StartUp(target, "--metrics", $"127.0.0.1:{port}");
        await OperatorKit.WaitForAsync(target, runner, s => s.Paused && s.Backlog is not null, "paused in the copy");

        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        Assert.Contains("# TYPE swap_rows_copied_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE swap_rows_applied_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE swap_throttled_time_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE swap_chunk_time summary", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE swap_cutover_attempts_total counter", text, StringComparison.Ordinal);
        Assert.Contains("swap_backlog{script=\"MigrateItems\"} 0", text, StringComparison.Ordinal);

        await OperatorKit.Control(target).ResumeAsync();
        Assert.Equal(0, await runner.WaitAsync(TimeSpan.FromMinutes(2)));
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
