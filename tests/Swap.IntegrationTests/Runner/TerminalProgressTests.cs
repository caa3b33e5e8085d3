using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

/// <summary>
/// Progress as a person sees it: the real 'swap' process on a pseudo-terminal (util-linux
/// 'script', 70 columns), its output replayed through a small terminal model (carriage return,
/// erase-line, newline), and the screen compared line by line; and the same run piped.
/// </summary>
public partial class TerminalProgressTests
{
    private const int Columns = 70;

    [Fact]
    public async Task On_a_terminal_the_bar_redraws_in_place_and_log_lines_and_phase_lines_stay_whole()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 20_000);
        EngineKit.WriteSwapScript(target);

        var (exit, raw) = await OnTerminalAsync(target, ["up", "--chunk-time", "10ms", "--max-chunk-size", "500"], interruptWhen: null);
        Assert.True(exit == 0, raw);
        var screen = Normalize(Screen(raw));
        Assert.Equal(
            [
                "T info: Created the history table swap_history",
                "T info: Applying MigrateItems (c#, one transaction)",
                "T info: MigrateItems swaps tables online, so it now runs step by step with a journal instead of in one transaction",
                "T info: MigrateItems: copy-and-swap, because items: column flag is filled from the existing rows (FillWith)",
                "swap items: checked in D",
                "swap items: created the copy in D",
                "swap items: installed capture in D",
                "swap items: copied 20,000 rows in D",
                "swap items: built indexes on the copy in D",
                "swap items: verified 20,000 rows in D",
                "T info: Swapped in items (cut-over attempts: 1)",
                "swap items: cut over in D",
                "swap items: removed capture in D",
                "swap items: dropped the old table in D",
                "swap items: done in D",
                "T info: Applied MigrateItems in D",
                "applied\tMigrateItems\tD",
                "Applied 1 script(s) as batch 1.",
            ],
            screen);
        // The bar was drawn (and redrawn) while copying, never wider than the terminal.
        var draws = BarDraw().Matches(raw).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(draws, d => d.StartsWith("[####", StringComparison.Ordinal));
        Assert.All(draws, d => Assert.True(d.Length < Columns, $"a bar reached the terminal's width: '{d}'"));
    }

    [Fact]
    public async Task Ctrl_c_on_a_terminal_leaves_the_bar_on_its_own_line_and_says_where_it_resumes()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 200_000);
        EngineKit.WriteSwapScript(target);

        var (exit, raw) = await OnTerminalAsync(target, ["up", "--chunk-time", "10ms", "--max-chunk-size", "200"], interruptWhen: "swap items: copying ");
        var screen = Screen(raw);
        Assert.True(exit == 130, raw);
        Assert.Matches(@"^Interrupted MigrateItems: 'swap up' resumes it at step 1 \(swap of items\) after phase capture-installed, [\d,]+ rows copied\.$", screen[^1]);
        Assert.Matches(@"^\[[#.]{20}\] swap items: copying [\d,]+ of ~200,000 rows", screen[^2]);
        Assert.Equal("swap items: installed capture in D", Normalize(screen)[^3]);
    }

    [Fact]
    public async Task Piped_every_finished_phase_leaves_one_line_saying_what_it_did()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 5_000);
        EngineKit.WriteSwapScript(target);
        var run = await SwapCli.RunAsync(target, "up", "--chunk-time", "10ms", "--max-chunk-size", "500");
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Normalize(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList()).Where(l => l.StartsWith("swap ", StringComparison.Ordinal));
        Assert.Equal(
            [
                "swap items: checked in D",
                "swap items: created the copy in D",
                "swap items: installed capture in D",
                "swap items: copied 5,000 rows in D",
                "swap items: built indexes on the copy in D",
                "swap items: verified 5,000 rows in D",
                "swap items: cut over in D",
                "swap items: removed capture in D",
                "swap items: dropped the old table in D",
                "swap items: done in D",
            ],
            lines);
        Assert.DoesNotContain('\r', run.Err);
        Assert.DoesNotContain('\u001b', run.Err);
    }

    [Fact]
    public async Task The_verified_line_counts_the_rows_compared_not_the_servers_estimate()
    {
        // 45,000 rows analyzed, then 2,000 deleted: the server still estimates 45,000. Verification
        // walks three ranges (20,000, 20,000 and the rest); it used to report the estimate for the last one.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 45_000);
        await target.ExecuteAsync("ANALYZE items");
        await target.ExecuteAsync("DELETE FROM items WHERE id % 20 = 0 AND id <= 40000");
        Assert.Equal(45_000L, Convert.ToInt64(await target.ScalarAsync("SELECT reltuples::bigint FROM pg_class WHERE oid = 'items'::regclass")));
        EngineKit.WriteSwapScript(target);
        var run = await SwapCli.RunAsync(target, "up");
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Normalize(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList());
        Assert.Contains("swap items: copied 43,000 rows in D", lines);
        Assert.Contains("swap items: verified 43,000 rows in D", lines);
    }

    /// <summary>Runs swap on a pseudo-terminal of <see cref="Columns"/> columns; optionally types Ctrl+C once the screen shows a text.</summary>
    private static async Task<(int Exit, string Raw)> OnTerminalAsync(TestTarget target, string[] args, string? interruptWhen)
    {
        var command = $"stty cols {Columns} rows 40; exec dotnet '{CliProcess.CliDll}' --db '{target.UrlText}' {string.Join(' ', args)}";
        var psi = new ProcessStartInfo("script") { WorkingDirectory = target.Folder, RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-qec", command, "/dev/null" })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var output = new StringBuilder();
        var reader = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int n;
            while ((n = await process.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (output)
                    output.Append(buffer, 0, n);
            }
        });
        string Text()
        {
            lock (output)
                return output.ToString();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        if (interruptWhen is not null)
        {
            while (!Text().Contains(interruptWhen, StringComparison.Ordinal))
            {
                if (process.HasExited || timeout.IsCancellationRequested)
                    Assert.Fail($"'{interruptWhen}' never showed:\n{Text()}");
                await Task.Delay(20);
            }
            await process.StandardInput.WriteAsync('\u0003');
            await process.StandardInput.FlushAsync();
            // Once, in a full-suite run on a loaded machine, the terminal echoed a Ctrl+C typed at the
            // first chunk and the run went on to the end, as if the process never got the signal (not
            // reproduced in isolated runs, also under CPU load). A person types it again; so does this.
            for (var again = 0; again < 3 && !process.WaitForExit(TimeSpan.FromSeconds(3)) && !Text().Contains("Interrupted", StringComparison.Ordinal); again++)
            {
                await process.StandardInput.WriteAsync('\u0003');
                await process.StandardInput.FlushAsync();
            }
        }
        await process.WaitForExitAsync(timeout.Token);
        await reader;
        return (process.ExitCode, Text());
    }

    /// <summary>
    /// The screen the output leaves: '\r' returns to the line's start, ESC[K erases to its end,
    /// other escape sequences change nothing visible here.
    /// </summary>
    private static List<string> Screen(string raw)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        var col = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '\u001b')
            {
                var m = EscapeSequence().Match(raw, i);
                if (m.Success && m.Value == "\u001b[K")
                    line.Length = Math.Min(line.Length, col);
                i += m.Success ? m.Length - 1 : 1;
            }
            else if (c == '\r')
            {
                col = 0;
            }
            else if (c == '\n')
            {
                lines.Add(line.ToString());
                line.Clear();
                col = 0;
            }
            else
            {
                if (col < line.Length)
                    line[col] = c;
                else
                    line.Append(c);
                col++;
            }
        }
        if (line.Length > 0)
            lines.Add(line.ToString());
        return lines.Where(l => l.Length > 0).ToList();
    }

    /// <summary>Clock times become T and durations D, so screens compare exactly otherwise.</summary>
    private static List<string> Normalize(List<string> lines) =>
        lines.Select(l => Duration().Replace(Clock().Replace(l, "T"), "D")).ToList();

    [GeneratedRegex(@"\u001b(\[[0-9;?]*[A-Za-z]|[=>])")]
    private static partial Regex EscapeSequence();

    /// <summary>A bar drawn in place: back to the line's start, the text, erase the rest.</summary>
    [GeneratedRegex("\r([^\r\n\u001b]+)\u001b\\[K")]
    private static partial Regex BarDraw();

    [GeneratedRegex(@"^\d\d:\d\d:\d\d")]
    private static partial Regex Clock();

    [GeneratedRegex(@"\d+(\.\d+)? (ms|s)\b|\d+m \d\ds|\d+h \d\dm")]
    private static partial Regex Duration();
}
