namespace Swap.Scenarios.ClientBench;

/// <summary>Peak resident set size of this process from /proc, resettable per run (Linux).</summary>
internal static class MemoryProbe
{
    /// <summary>Resets VmHWM to the current RSS (writing 5 to clear_refs); false if not permitted.</summary>
    internal static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>VmHWM (peak RSS) in MB, or the .NET peak working set where /proc is unavailable.</summary>
    internal static double PeakRssMb() =>
        StatusMb("VmHWM:") ?? System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);

    /// <summary>VmRSS (current RSS) in MB.</summary>
    internal static double CurrentRssMb() =>
        StatusMb("VmRSS:") ?? System.Diagnostics.Process.GetCurrentProcess().WorkingSet64 / (1024.0 * 1024.0);

    private static double? StatusMb(string key)
    {
        if (!File.Exists("/proc/self/status")) return null;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
            var kb = long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            return kb / 1024.0;
        }
        return null;
    }
}
