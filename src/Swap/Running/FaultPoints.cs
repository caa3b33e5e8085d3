using System.Diagnostics;

namespace Swap.Running;

/// <summary>
/// Test hook for fault injection: when the environment variable <c>SWAP_FAULT_KILL_AT</c> names
/// a point (for example <c>phase:capture-installed</c>, <c>capture:1</c> (after the first capture
/// statement), <c>chunk:3</c>, <c>chunk-mid:3</c>, <c>cutover</c>), the process kills itself with SIGKILL when it gets there, exactly as an
/// operator's <c>kill -9</c> or an OOM kill would. Unset (always, in production) it does nothing.
/// </summary>
internal static class FaultPoints
{
    private static readonly string? Target = Environment.GetEnvironmentVariable("SWAP_FAULT_KILL_AT");
    private static readonly Dictionary<string, int> Counts = new(StringComparer.Ordinal);

    public static bool Enabled => Target is not null;

    /// <summary>Marks reaching a point; counted points (<c>chunk:N</c>) fire on their N-th hit.</summary>
    public static void Hit(string point)
    {
        if (Target is null)
            return;
        int n;
        lock (Counts)
            n = Counts[point] = Counts.GetValueOrDefault(point) + 1;
        if (Target == point || Target == $"{point}:{n}")
        {
            Console.Error.WriteLine($"fault injection: SIGKILL at {Target}");
            Console.Error.Flush();
            Process.GetCurrentProcess().Kill();
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
