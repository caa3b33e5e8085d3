namespace Swap.Scenarios.Online.Data;

/// <summary>
/// SplitMix64: a stateless, seedable hash, so row <c>i</c> and write <c>i</c> are the same in every
/// run and every engine without replaying a random generator from the start.
/// </summary>
internal static class Mix
{
    public static ulong Hash(ulong seed, ulong index, ulong stream = 0)
    {
        var z = seed + (index * 0x9E3779B97F4A7C15UL) + (stream * 0xD1B54A32D192ED03UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A value in [0, n).</summary>
    public static long Below(ulong seed, ulong index, ulong stream, long n) => (long)(Hash(seed, index, stream) % (ulong)n);

    public static T Pick<T>(IReadOnlyList<T> pool, ulong seed, ulong index, ulong stream) => pool[(int)Below(seed, index, stream, pool.Count)];
}
