using System.Diagnostics;
using System.Text;

namespace Swap.IntegrationTests.Infrastructure;

/// <summary>The <c>swap</c> command in a child process, for tests that kill a runner.</summary>
public sealed class ChildSwap : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ChildSwap(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => process.Id;

    /// <summary>Starts <c>dotnet Swap.Cli.dll --db &lt;target&gt; args...</c> in the target's scratch folder.</summary>
    public static ChildSwap Start(TestTarget target, params string[] args) => Start(target, null, args);

    /// <summary>Starts <c>dotnet Swap.Cli.dll --db &lt;target&gt; args...</c> with these variables added to its environment (fault points).</summary>
    public static ChildSwap Start(TestTarget target, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = target.Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            psi.Environment[name] = value;
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Swap.Cli.dll"));
        foreach (var a in (string[])["--db", target.UrlText, .. args])
            psi.ArgumentList.Add(a);
        return new ChildSwap(Process.Start(psi)!);
    }

    public string Output()
    {
        lock (output)
            return $"child exited: {process.HasExited}\n{output}";
    }

    public bool HasExited => process.HasExited;

    /// <summary>Waits for the process to end (killing it after <paramref name="timeout"/>) and returns its exit code.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"swap did not end within {timeout}:\n{Output()}");
        }
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Runs <c>swap --db &lt;target&gt; args...</c> in a child process to its end: exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TestTarget target, params string[] args)
    {
        using var child = Start(target, args);
        var code = await child.WaitAsync(TimeSpan.FromSeconds(120));
        return (code, child.Output());
    }

    /// <summary>SIGKILL: the process gets no chance to release anything.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
            Kill();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }
}
