using System.Diagnostics;

namespace Swap.Running;

/// <summary>
/// Test hooks for fault injection; unset (always, in production) they do nothing.
/// <list type="bullet">
/// <item><c>SWAP_FAULT_KILL_AT</c> names a point (for example <c>phase:capture-installed</c>,
/// <c>capture:1</c> (after the first capture statement), <c>chunk:3</c>, <c>chunk-mid:3</c>,
/// <c>cutover</c>, <c>instant-statement:1</c> (after the first statement of an instant or in-place change)): the process kills itself with SIGKILL when it gets there, exactly as an
/// operator's <c>kill -9</c> or an OOM kill would.</item>
/// <item><c>SWAP_FAULT_PAUSE_AT</c> names a point and <c>SWAP_FAULT_RESUME_FILE</c> a file: at the
/// point the process says <c>fault injection: paused at ...</c> on standard error and waits until
/// that file exists, so a harness can set up a fault (a lock, a kill) at an exact moment.</item>
/// </list>
/// </summary>
internal static class FaultPoints
{
    private static readonly string? KillAt = Environment.GetEnvironmentVariable("SWAP_FAULT_KILL_AT");
    private static readonly string? PauseAt = Environment.GetEnvironmentVariable("SWAP_FAULT_PAUSE_AT");
    private static readonly string? ResumeFile = Environment.GetEnvironmentVariable("SWAP_FAULT_RESUME_FILE");
    private static readonly Dictionary<string, int> Counts = new(StringComparer.Ordinal);

    public static bool Enabled => KillAt is not null || PauseAt is not null;

    /// <summary>Marks reaching a point; counted points (<c>chunk:N</c>) fire on their N-th hit.</summary>
    public static void Hit(string point)
    {
        if (!Enabled)
            return;
        int n;
        lock (Counts)
            n = Counts[point] = Counts.GetValueOrDefault(point) + 1;
        if (Matches(PauseAt, point, n) && ResumeFile is not null)
        {
            Console.Error.WriteLine($"fault injection: paused at {PauseAt}");
            Console.Error.Flush();
            while (!File.Exists(ResumeFile))
                Thread.Sleep(10);
        }
        if (Matches(KillAt, point, n))
        {
            Console.Error.WriteLine($"fault injection: SIGKILL at {KillAt}");
            Console.Error.Flush();
            Process.GetCurrentProcess().Kill();
            Thread.Sleep(Timeout.Infinite);
        }
    }

    private static bool Matches(string? target, string point, int n) => target == point || target == $"{point}:{n}";
}
