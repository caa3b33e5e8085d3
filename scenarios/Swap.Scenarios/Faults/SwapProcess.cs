using System.Diagnostics;
using System.Text;

namespace Swap.Scenarios.Faults;

/// <summary>
/// The real <c>swap</c> command in a child process (<c>dotnet Swap.Cli.dll</c>), run in the
/// target's folder. Its output is kept line by line so the harness can wait for a moment
/// ("cutting over") and kill it there with SIGKILL, as an operator or the OOM killer would.
/// </summary>
public sealed class SwapProcess : IDisposable
{
    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly TaskCompletionSource streamsClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int streamsOpen = 2;

    private SwapProcess(Process process, string[] args)
    {
        this.process = process;
        Arguments = args;
        process.OutputDataReceived += (_, e) => Append(e.Data, stdout);
        process.ErrorDataReceived += (_, e) => Append(e.Data, stderr);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Exited = WaitForExitAsync();
    }

    /// <summary>The arguments after the database option, for reports.</summary>
    public string[] Arguments { get; }

    public int Id => process.Id;

    /// <summary>True once the process was killed by the harness.</summary>
    public bool Killed { get; private set; }

    /// <summary>The exit code once both output streams closed and the process ended (137 after SIGKILL).</summary>
    public Task<int> Exited { get; }

    public string Stdout
    {
        get
        {
            lock (lines)
                return stdout.ToString();
        }
    }

    public string Stderr
    {
        get
        {
            lock (lines)
                return stderr.ToString();
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines)
                return lines.ToList();
        }
    }

    /// <summary>
    /// Starts <c>swap --db &lt;target&gt; args...</c> in the target folder. The child's environment is
    /// this process's, without <c>SWAP_DB</c> and <c>SWAP_FAULT_KILL_AT</c>, plus <paramref name="environment"/>.
    /// </summary>
    public static SwapProcess Start(FaultTarget target, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        StartRaw(target.Folder, ["--db", target.UrlText, .. args], environment);

    public static SwapProcess StartRaw(string workingDirectory, string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(FaultEnvironment.CliDll);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment.Remove("SWAP_DB");
        psi.Environment.Remove("SWAP_FAULT_KILL_AT");
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        if (environment is not null)
        {
            foreach (var (k, v) in environment)
                psi.Environment[k] = v;
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start.");
        process.StandardInput.Close();
        var shown = args.Select((a, i) => i > 0 && args[i - 1] == "--db" ? "<db>" : a).ToArray();
        return new SwapProcess(process, shown);
    }

    /// <summary>Waits for an output line that matches; false when the process ends (or time runs out) first.</summary>
    public async Task<bool> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        var seen = 0;
        while (true)
        {
            Task signal;
            lock (lines)
            {
                for (; seen < lines.Count; seen++)
                {
                    if (match(lines[seen]))
                        return true;
                }
                if (Exited.IsCompleted)
                    return false;
                signal = changed.Task;
            }
            var left = timeout - watch.Elapsed;
            if (left <= TimeSpan.Zero)
                return false;
            await Task.WhenAny(signal, Exited, Task.Delay(left));
        }
    }

    /// <summary>SIGKILL: the process gets no chance to clean up, release locks or roll back.</summary>
    public void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                Killed = true;
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // It ended by itself a moment ago.
        }
    }

    /// <summary>Waits for the exit; kills the process when it outlives <paramref name="timeout"/> and says so.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        if (await Task.WhenAny(Exited, Task.Delay(timeout)) == Exited)
            return await Exited;
        Kill();
        await Exited;
        throw new TimeoutException($"swap {string.Join(' ', Arguments)} did not finish within {timeout.TotalSeconds:0}s and was killed. Output:\n{Output}");
    }

    /// <summary>Everything the process printed, stdout then stderr.</summary>
    public string Output => Stdout + Stderr;

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    private async Task<int> WaitForExitAsync()
    {
        await process.WaitForExitAsync();
        await streamsClosed.Task;
        return process.ExitCode;
    }

    private void Append(string? line, StringBuilder stream)
    {
        TaskCompletionSource signal;
        lock (lines)
        {
            if (line is null)
            {
                if (--streamsOpen == 0)
                    streamsClosed.TrySetResult();
            }
            else
            {
                lines.Add(line);
                stream.AppendLine(line);
            }
            signal = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        signal.TrySetResult();
    }
}
