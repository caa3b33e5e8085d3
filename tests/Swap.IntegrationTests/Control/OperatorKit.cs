using System.Text.Json;
using Swap.Control;
using Swap.Data;
using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Control;

/// <summary>What the operator tests share: a swap slow enough to catch (20-row chunks), its runner in a child process, and reads of the live status.</summary>
internal static class OperatorKit
{
    public const int Rows = 300;

    /// <summary>The options that make the runner copy in many small chunks.</summary>
    public static readonly string[] SmallChunks = ["--chunk-size", "20", "--max-chunk-size", "20"];

    /// <summary>items with <see cref="Rows"/> rows and the swap script that adds <c>flag</c>.</summary>
    public static async Task ArrangeAsync(TestTarget target)
    {
        await EngineKit.CreateItemsAsync(target, Rows);
        EngineKit.WriteSwapScript(target);
    }

    /// <summary>Starts <c>swap up</c> with small chunks in a child process.</summary>
    public static ChildSwap StartUp(TestTarget target, params string[] more) => ChildSwap.Start(target, ["up", .. SmallChunks, .. more]);

    public static SwapControl Control(TestTarget target) => new(target.Database());

    /// <summary>
    /// items and its swap script, a pause, and <c>swap up</c> started and waited for until it holds
    /// paused in the copy (nothing copied yet): the start of every abort test.
    /// </summary>
    public static async Task<ChildSwap> StartPausedInTheCopyAsync(TestTarget target)
    {
        await ArrangeAsync(target);
        await Control(target).PauseAsync();
        var runner = StartUp(target);
        await WaitForAsync(target, runner, s => s.Paused && s.Phase == "Copying", "paused in the copy");
        return runner;
    }

    /// <summary>Waits until the runner's live row satisfies <paramref name="condition"/> (read in-process, through the library).</summary>
    public static async Task<LiveSwapStatus> WaitForAsync(TestTarget target, ChildSwap runner, Func<LiveSwapStatus, bool> condition, string what, int seconds = 90)
    {
        var control = Control(target);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        LiveSwapStatus? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var report = await control.ReportAsync(5);
            last = report.Running.FirstOrDefault(s => s.Pid == runner.Id);
            if (last is not null && condition(last))
                return last;
            if (runner.HasExited)
                Assert.Fail($"The runner ended before {what}:\n{runner.Output()}");
            await Task.Delay(100);
        }
        Assert.Fail($"Not {what} within {seconds}s; last live status: {JsonSerializer.Serialize(last)}\n{runner.Output()}");
        return null!;
    }

    /// <summary><c>swap status --live --json</c> in another process, parsed.</summary>
    public static async Task<JsonElement> StatusJsonAsync(TestTarget target)
    {
        var (code, output) = await ChildSwap.RunAsync(target, "status", "--live", "--json");
        Assert.True(code == 0, output);
        var line = output.Split('\n').First(l => l.TrimStart().StartsWith('{'));
        return JsonDocument.Parse(line).RootElement;
    }

    /// <summary>The columns of a table (the swapped-in <c>flag</c> tells whether the cut-over happened).</summary>
    public static async Task<IReadOnlyList<string>> ColumnsAsync(TestTarget target, string table = "items")
    {
        var rows = await target.QueryAsync($"SELECT * FROM {table} LIMIT 1");
        return rows.Count == 0 ? [] : rows[0].Columns.Select(c => c.ToLowerInvariant()).ToList();
    }

    public static async Task<long> CountAsync(TestTarget target, string sql) =>
        Convert.ToInt64(await target.ScalarAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The engines the operator tests run on.</summary>
    public static TheoryData<DatabaseEngine> Online => SwapEngines.Online;
}
