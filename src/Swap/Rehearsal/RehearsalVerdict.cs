using System.Globalization;
using Swap.Running;

namespace Swap.Rehearsal;

/// <summary>One sentence per script: what it will do to production, from what it did on staging.</summary>
internal static class RehearsalVerdict
{
    /// <summary>The verdict of a script that ran on staging but production has applied already: production's 'up' skips it.</summary>
    public const string AlreadyApplied = "already applied in production: 'up' will not run it there (staging is older than production)";

    public static string For(RehearsalRecorder.Script script, string outcome, string? message, bool online)
    {
        if (outcome == "refused")
            return "refused because " + message;
        if (outcome == "failed")
            return "fails on staging: " + message;
        var swaps = script.Steps.Where(s => s.Op == "swap").ToList();
        var took = Ms(script.Duration);
        var inPlace = script.Steps.Where(s => s.Op == "instant").ToList();
        if (swaps.Count == 0 && inPlace.Count > 0)
            return $"will change {string.Join("; ", inPlace.Select(s => s.Description))}: no copy, a bounded lock wait ({took} on staging)";
        if (swaps.Count == 0)
        {
            return script.Mode == ExecutionMode.Transactional
                ? $"will run in one transaction ({took} on staging)"
                : $"will run as plain SQL statements ({took} on staging); each one locks what it changes while it runs";
        }
        var tables = string.Join(", ", swaps.SelectMany(s => s.Tables).Distinct(StringComparer.OrdinalIgnoreCase));
        if (!online)
            return $"will rebuild {tables} in one transaction; other writers wait for it ({took} on staging)";
        var lockTime = swaps.SelectMany(s => s.CutOverAttempts).Where(a => a.Succeeded).Select(a => a.Duration).DefaultIfEmpty().Max();
        var attempts = swaps.Sum(s => s.CutOverAttempts.Count);
        return $"will run online; needs a lock of {Ms(lockTime)} at cut-over" + (attempts > swaps.Count ? $" (the cut-over took {attempts} attempts on staging)" : "");
    }

    public static string Ms(TimeSpan t) => Math.Round(t.TotalMilliseconds).ToString("N0", CultureInfo.InvariantCulture) + " ms";
}
