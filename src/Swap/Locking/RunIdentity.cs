using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Swap.Locking;

/// <summary>Who is running: user, host and process, for the lock and the history's "applied by".</summary>
internal static partial class RunIdentity
{
    public static string Describe() =>
        $"{Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId}";

    public static string User() => $"{Environment.UserName}@{Environment.MachineName}";

    /// <summary>
    /// True only when <paramref name="holder"/> (as <see cref="Describe"/> wrote it) names a process
    /// on this host that is gone: no such pid, or a pid that was started after the holder took the
    /// lock (reused). A holder on another host, or one that cannot be read, is never called dead.
    /// </summary>
    public static bool IsProvablyDead(string? holder, DateTime? sinceUtc)
    {
        if (holder is null || HolderPattern().Match(holder) is not { Success: true } m)
            return false;
        if (!string.Equals(m.Groups["host"].Value, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
            return false;
        var pid = int.Parse(m.Groups["pid"].Value, CultureInfo.InvariantCulture);
        if (pid == Environment.ProcessId)
            return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited)
                return true;
            return sinceUtc is { } since && process.StartTime.ToUniversalTime() > since.AddSeconds(1);
        }
        catch (ArgumentException)
        {
            return true;   // no process with that id
        }
        catch (InvalidOperationException)
        {
            return true;   // it exited while we looked
        }
    }

    [GeneratedRegex(@"^.+@(?<host>[^ @]+) pid (?<pid>\d+)$")]
    private static partial Regex HolderPattern();
}
