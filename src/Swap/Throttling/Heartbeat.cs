namespace Swap.Throttling;

/// <summary>The heartbeat's value: microseconds since the Unix epoch by the runner's clock, which both writes and reads it (no clock skew between hosts).</summary>
internal static class Heartbeat
{
    public static long Now(TimeProvider time) => (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;

    public static TimeSpan Lag(TimeProvider time, long beat) => TimeSpan.FromTicks(Math.Max(0, Now(time) - beat) * 10);
}
