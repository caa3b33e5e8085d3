using System.Globalization;
using System.Runtime.InteropServices;

namespace Swap.Scenarios.Online.Output;

/// <summary>Facts about the machine for the report, read from /proc and /etc.</summary>
internal static class MachineInfo
{
    public static MachineFacts Read() => new(
        Environment.ProcessorCount,
        ProcLine("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Math.Round(KiB("/proc/meminfo", "MemTotal") / 1048576.0, 1),
        ProcLine("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription,
        Read("/proc/sys/kernel/osrelease") ?? "",
        RuntimeInformation.FrameworkDescription,
        LoadAverage());

    public static double LoadAverage() =>
        double.TryParse(Read("/proc/loadavg")?.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;

    private static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    private static string? ProcLine(string path, string key, char separator = ':') =>
        File.Exists(path)
            ? File.ReadLines(path).Where(l => l.StartsWith(key, StringComparison.Ordinal)).Select(l => l[(l.IndexOf(separator, StringComparison.Ordinal) + 1)..].Trim()).FirstOrDefault()
            : null;

    private static long KiB(string path, string key) =>
        long.TryParse(ProcLine(path, key)?.Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;
}
