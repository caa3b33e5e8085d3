using Swap.Cli;

namespace Swap.IntegrationTests.Infrastructure;

/// <summary>What one CLI run printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Out, string Err)
{
    public string All => Out + Err;

    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Err}";
}

/// <summary>A CLI run in progress whose output can be watched.</summary>
public sealed class RunningCli
{
    public required CapturingWriter Out { get; init; }

    public required CapturingWriter Err { get; init; }

    public required Task<CliRun> Completion { get; init; }

    /// <summary>Waits until stderr or stdout shows <paramref name="text"/>, or fails when the run ends first or time runs out.</summary>
    public async Task WaitForOutputAsync(string text, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!(Out.Text + Err.Text).Contains(text, StringComparison.Ordinal))
        {
            if (Completion.IsCompleted)
                Assert.Fail($"The run ended before printing '{text}':\n{await Completion}");
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"The run did not print '{text}' within {seconds}s:\n{Out.Text}\n{Err.Text}");
            await Task.Delay(50);
        }
    }
}

/// <summary>
/// Runs the whole <c>swap</c> program in-process, as a user would from the test's scratch folder:
/// <c>--db</c> names the test target, migrations are found in <c>./migrations</c> unless the
/// arguments say otherwise, and the environment holds only what the test passes.
/// </summary>
public static class SwapCli
{
    /// <summary><c>swap --db &lt;target&gt; args...</c> in the target's scratch folder.</summary>
    public static Task<CliRun> RunAsync(TestTarget target, params string[] args) =>
        Start(target, args).Completion;

    /// <summary>Starts <c>swap --db &lt;target&gt; args...</c> without waiting for it.</summary>
    public static RunningCli Start(TestTarget target, string[] args, CancellationToken cancellationToken = default) =>
        StartRaw(target.Folder, ["--db", target.UrlText, .. args], null, cancellationToken);

    /// <summary>Runs with exactly these arguments and environment.</summary>
    public static Task<CliRun> RunRawAsync(string workingDirectory, string[] args, IReadOnlyDictionary<string, string>? environment = null) =>
        StartRaw(workingDirectory, args, environment, default).Completion;

    private static RunningCli StartRaw(string workingDirectory, string[] args, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var stdout = new CapturingWriter();
        var stderr = new CapturingWriter();
        var completion = Task.Run(async () =>
        {
            var code = await CliApp.RunAsync(args, stdout, stderr, name => environment?.GetValueOrDefault(name), workingDirectory, TimeProvider.System, cancellationToken);
            return new CliRun(code, stdout.Text, stderr.Text);
        });
        return new RunningCli { Completion = completion, Out = stdout, Err = stderr };
    }
}
