using System.Diagnostics;
using System.Globalization;

namespace Swap.Scenarios.Online.Contenders;

/// <summary>The end of a tool's process: exit code, peak RSS and CPU (from GNU time), and its last output lines.</summary>
internal sealed record ToolExit(int Code, double? PeakRssMb, double? CpuSeconds, IReadOnlyList<string> Tail);

/// <summary>
/// Runs a tool as a child process under <c>/usr/bin/time</c> (which reports the child's exact
/// peak RSS and CPU from <c>wait4</c>), passing each output line to a callback as it arrives.
/// </summary>
internal static class ToolProcess
{
    private const string Time = "/usr/bin/time";

    public static async Task<ToolExit> RunAsync(string file, IEnumerable<string> args, IDictionary<string, string>? env, Action<string> onLine, CancellationToken ct, string? workingDirectory = null)
    {
        var timeFile = Path.GetTempFileName();
        var psi = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        if (workingDirectory is not null)
            psi.WorkingDirectory = workingDirectory;
        var timed = File.Exists(Time);
        if (timed)
        {
            psi.FileName = Time;
            foreach (var a in new[] { "-f", "%M %U %S", "-o", timeFile, file })
                psi.ArgumentList.Add(a);
        }
        else
        {
            psi.FileName = file;
        }
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        if (env is not null)
        {
            foreach (var (k, v) in env)
                psi.Environment[k] = v;
        }
        var tail = new Queue<string>();
        var errors = new Queue<string>();
        void Line(string? line, bool error)
        {
            if (line is null)
                return;
            lock (tail)
            {
                var q = error ? errors : tail;
                q.Enqueue(line);
                if (q.Count > 20)
                    q.Dequeue();
            }
            onLine(line);
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        p.StandardInput.Close();
        var stdout = Task.Run(async () => { while (await p.StandardOutput.ReadLineAsync(ct) is { } l) Line(l, false); }, ct);
        var stderr = Task.Run(async () => { while (await p.StandardError.ReadLineAsync(ct) is { } l) Line(l, true); }, ct);
        try
        {
            await p.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw;
        }
        await Task.WhenAll(stdout, stderr);
        double? rss = null, cpu = null;
        if (timed)
        {
            var parts = File.ReadAllLines(timeFile).LastOrDefault(l => l.Split(' ').Length == 3)?.Split(' ');
            if (parts is not null)
            {
                rss = long.Parse(parts[0], CultureInfo.InvariantCulture) / 1024.0;
                cpu = double.Parse(parts[1], CultureInfo.InvariantCulture) + double.Parse(parts[2], CultureInfo.InvariantCulture);
            }
        }
        File.Delete(timeFile);
        lock (tail)
            return new ToolExit(p.ExitCode, rss, cpu, [.. tail.TakeLast(5), "--- stderr:", .. errors]);
    }

    /// <summary>The first line a command prints (for versions), or null when it is not installed.</summary>
    public static string? FirstLine(string file, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args)
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
