namespace Swap.Rehearsal;

/// <summary>
/// Says what <c>status</c> on production will be after <c>up</c>, from production's history (or,
/// without production, staging's before the rehearsal) and how each script went on staging, and
/// compares it with <c>status</c> on staging now.
/// </summary>
internal static class StatusAfterUpCheck
{
    public static StatusCheck Compare(IReadOnlyList<ScriptState> before, string basis, IReadOnlyList<ScriptRehearsal> rehearsed, StatusReport staging)
    {
        var outcomes = rehearsed.ToDictionary(s => s.Id, Outcome, StringComparer.Ordinal);
        var now = staging.Scripts.ToDictionary(s => s.Id, s => s.Status, StringComparer.Ordinal);
        var differences = new List<string>();
        foreach (var script in before)
        {
            var expected = Expected(script.Status, outcomes.GetValueOrDefault(script.Id));
            var actual = now.TryGetValue(script.Id, out var s) ? s : (ScriptStatus?)null;
            if (actual != expected)
                differences.Add($"{script.Id}: {Word(expected)} in production after up, {Word(actual)} on staging");
            if (script.Status is ScriptStatus.Applied && outcomes.ContainsKey(script.Id))
                differences.Add($"{script.Id}: ran on staging, but {basis} has it applied already: staging is older than production");
        }
        foreach (var extra in staging.Scripts.Where(s => before.All(b => b.Id != s.Id)))
            differences.Add($"{extra.Id}: {Word(extra.Status)} on staging, unknown to {basis}");
        foreach (var leftover in staging.Leftovers)
            differences.Add($"staging has a leftover {leftover.Kind} {leftover.Name} ({leftover.Detail}); 'swap cleanup' removes it");
        return new StatusCheck
        {
            Basis = basis,
            Staging = staging.Scripts.Select(s => $"{s.Id}: {Word(s.Status)}").ToList(),
            Differences = differences,
        };
    }

    /// <summary>
    /// The outcome as 'up' records it: a refusal before any journaled step finished wrote nothing, and
    /// 'up' puts the script's history back as it was (pending, or its earlier failure), so it counts
    /// as not run; a refusal after finished journaled steps is recorded as a failure.
    /// </summary>
    private static string Outcome(ScriptRehearsal script) =>
        script.Outcome == "refused" && (script.Mode != "journaled steps" || script.Steps.All(step => step.Error is not null))
            ? "not-run"
            : script.Outcome;

    /// <summary>Up leaves applied, changed and missing scripts as they are, and runs the rest as they ran on staging.</summary>
    private static ScriptStatus? Expected(ScriptStatus before, string? outcome) => before switch
    {
        ScriptStatus.Applied or ScriptStatus.Changed or ScriptStatus.Missing => before,
        _ => outcome switch
        {
            "applied" => ScriptStatus.Applied,
            "refused" or "failed" => ScriptStatus.Failed,
            _ => before,
        },
    };

    private static string Word(ScriptStatus? status) => status?.ToString().ToLowerInvariant() ?? "absent";
}
