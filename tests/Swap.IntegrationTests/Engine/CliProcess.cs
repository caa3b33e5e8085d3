using System.Diagnostics;

namespace Swap.IntegrationTests.Engine;

/// <summary>Runs the real <c>swap</c> command in a child process, for tests that kill it.</summary>
public static class CliProcess
{
    public static string CliDll
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Swap.sln")))
                dir = dir.Parent;
            var root = dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root from " + AppContext.BaseDirectory);
            var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
            var dll = Path.Combine(root, "src", "Swap.Cli", "bin", configuration, "net10.0", "Swap.Cli.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"Build the CLI first: {dll} is missing.");
        }
    }

    public static Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args) =>
        RunWatchingAsync(workingDirectory, environment, timeout, null, args);

    /// <summary>Runs the command; <paramref name="onErrorLine"/> sees each line of its standard error as it comes (to act at a fault injection's pause).</summary>
    public static async Task<(int ExitCode, string Output)> RunWatchingAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, Func<string, Task>? onErrorLine, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(CliDll);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment)
            psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = onErrorLine is null ? process.StandardError.ReadToEndAsync() : WatchAsync(process.StandardError, onErrorLine);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"swap {string.Join(' ', args)} did not finish within {timeout}: {await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task<string> WatchAsync(StreamReader reader, Func<string, Task> onLine)
    {
        var all = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            all.AppendLine(line);
            await onLine(line);
        }
        return all.ToString();
    }
}
