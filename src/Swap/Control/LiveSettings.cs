using System.Globalization;

namespace Swap;

/// <summary>
/// The settings <c>swap set</c> changes while a swap runs. A running swap starts from its options
/// and takes each <c>set</c> at the next chunk boundary; they last for that swap.
/// </summary>
public sealed class LiveSettings
{
    /// <summary>The names <c>swap set</c> takes.</summary>
    public static IReadOnlyList<string> Names { get; } = ["chunk-time", "max-replica-lag", "max-load", "critical-load"];

    /// <summary>The time one chunk should take (<c>chunk-time</c>); the chunk size adapts to it. Null: the engine's default (100 ms on MySQL/MariaDB, 500 ms on PostgreSQL, 50 ms on SQLite).</summary>
    public TimeSpan? ChunkTargetTime { get; private set; }

    /// <summary>The swap throttles while a watched replica lags more than this (<c>max-replica-lag</c>).</summary>
    public TimeSpan MaxReplicaLag { get; private set; }

    /// <summary>Null: no load throttle.</summary>
    public long? MaxLoad { get; private set; }

    /// <summary>Null: no critical-load pause.</summary>
    public long? CriticalLoad { get; private set; }

    internal static LiveSettings From(OnlineSwapOptions options) => new()
    {
        ChunkTargetTime = options.ChunkTargetTime,
        MaxReplicaLag = options.Throttle.MaxReplicaLag,
        MaxLoad = options.Throttle.MaxLoad,
        CriticalLoad = options.Throttle.CriticalLoad,
    };

    /// <summary>
    /// Checks <paramref name="name"/> and <paramref name="value"/> and returns the canonical
    /// <c>name value</c>; throws a usage error saying what is accepted. <c>off</c> (or 0) turns a
    /// load limit off.
    /// </summary>
    public static string Normalize(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        name = name.Trim().ToLowerInvariant();
        value = value.Trim();
        switch (name)
        {
            case "chunk-time":
            case "max-replica-lag":
                if (!Durations.TryParse(value, out var d) || d <= TimeSpan.Zero)
                    throw new SwapException(SwapErrorKind.Usage, $"{name} takes a duration above zero, like 200ms or 2s, not '{value}'.");
                return $"{name} {((long)Math.Ceiling(d.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture)}ms";
            case "max-load":
            case "critical-load":
                if (value.Equals("off", StringComparison.OrdinalIgnoreCase) || value == "0")
                    return $"{name} off";
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
                    throw new SwapException(SwapErrorKind.Usage, $"{name} takes a whole number of sessions above zero, or 'off', not '{value}'.");
                return $"{name} {n.ToString(CultureInfo.InvariantCulture)}";
            default:
                throw new SwapException(SwapErrorKind.Usage, $"'{name}' cannot be set on a running swap. Live settings: {string.Join(", ", Names)}.");
        }
    }

    /// <summary>Applies a <c>name value</c> that <see cref="Normalize"/> produced; returns what changed, in words.</summary>
    internal string Apply(string argument)
    {
        var space = argument.IndexOf(' ', StringComparison.Ordinal);
        var canonical = space < 0 ? Normalize(argument, "") : Normalize(argument[..space], argument[(space + 1)..]);
        var (name, value) = (canonical[..canonical.IndexOf(' ', StringComparison.Ordinal)], canonical[(canonical.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        long? Load() => value == "off" ? null : long.Parse(value, CultureInfo.InvariantCulture);
        switch (name)
        {
            case "chunk-time":
                ChunkTargetTime = Durations.Parse(value, name);
                break;
            case "max-replica-lag":
                MaxReplicaLag = Durations.Parse(value, name);
                break;
            case "max-load":
                MaxLoad = Load();
                break;
            default:
                CriticalLoad = Load();
                break;
        }
        return $"{name} = {value}";
    }

    /// <summary>The current values, for status.</summary>
    public IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["chunk-time"] = ChunkTargetTime is { } chunk ? Durations.Format(chunk) : "engine default",
        ["max-replica-lag"] = Durations.Format(MaxReplicaLag),
        ["max-load"] = MaxLoad?.ToString(CultureInfo.InvariantCulture) ?? "off",
        ["critical-load"] = CriticalLoad?.ToString(CultureInfo.InvariantCulture) ?? "off",
    };
}
