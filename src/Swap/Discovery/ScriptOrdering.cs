namespace Swap.Discovery;

/// <summary>
/// Orders scripts: dependencies first, and among scripts that are free to run, the earliest group
/// date (or file timestamp), then group, then Flyway-named scripts by version, then name. Unknown
/// dependencies and cycles are errors that name the scripts involved.
/// </summary>
internal static class ScriptOrdering
{
    public static IReadOnlyList<MigrationScript> Order(IReadOnlyList<MigrationScript> scripts)
    {
        var byId = scripts.ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var script in scripts)
        {
            foreach (var dependency in script.Dependencies)
            {
                if (!byId.ContainsKey(dependency))
                {
                    // Ids are unique regardless of case, but a dependency names one exactly: point at the one meant.
                    var fix = scripts.FirstOrDefault(s => string.Equals(s.Id, dependency, StringComparison.OrdinalIgnoreCase)) is { } meant
                        ? $"Dependencies name ids exactly, letter case included: write '{meant.Id}' in ExecuteAfter / -- swap:after."
                        : "Fix the name in ExecuteAfter / -- swap:after, or add the missing script.";
                    throw new SwapException(
                        SwapErrorKind.InvalidMigration,
                        $"{script.Id} ({script.Source}) runs after '{dependency}', but no migration has that id. {fix}")
                    { ScriptId = script.Id };
                }
                if (dependency == script.Id)
                    throw new SwapException(SwapErrorKind.InvalidMigration, $"{script.Id} ({script.Source}) depends on itself. Remove that dependency.") { ScriptId = script.Id };
            }
        }

        var waitingOn = scripts.ToDictionary(s => s.Id, s => s.Dependencies.Distinct(StringComparer.Ordinal).Count(), StringComparer.Ordinal);
        var dependents = scripts.SelectMany(s => s.Dependencies.Distinct(StringComparer.Ordinal).Select(d => (d, s.Id)))
            .ToLookup(x => x.d, x => x.Id, StringComparer.Ordinal);
        var ready = new PriorityQueue<MigrationScript, MigrationScript>(Comparer<MigrationScript>.Create(Compare));
        foreach (var s in scripts.Where(s => waitingOn[s.Id] == 0))
            ready.Enqueue(s, s);

        var ordered = new List<MigrationScript>(scripts.Count);
        while (ready.TryDequeue(out var next, out _))
        {
            ordered.Add(next);
            foreach (var dependent in dependents[next.Id])
            {
                if (--waitingOn[dependent] == 0)
                    ready.Enqueue(byId[dependent], byId[dependent]);
            }
        }
        if (ordered.Count < scripts.Count)
            throw CycleError(scripts.Where(s => waitingOn[s.Id] > 0).ToList(), byId);
        return ordered;
    }

    /// <summary>
    /// Earliest date first (scripts without a date first of all), then group, then name. On the same
    /// date (or without one), Flyway-named scripts come first, by version: a version is no clock time
    /// to compare with a timestamp name's, and putting them apart keeps every other name's order as it was.
    /// </summary>
    internal static int Compare(MigrationScript a, MigrationScript b)
    {
        var c = Nullable.Compare(a.OrderDate, b.OrderDate);
        if (c != 0)
            return c;
        c = string.CompareOrdinal(a.Group, b.Group);
        if (c != 0)
            return c;
        c = (a.Version is null).CompareTo(b.Version is null);
        if (c != 0)
            return c;
        c = a.Version?.CompareTo(b.Version) ?? 0;
        if (c != 0)
            return c;
        c = string.CompareOrdinal(a.OrderName, b.OrderName);
        return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    }

    /// <summary>
    /// One line per module whose folder holds at least two scripts that neither a date, a Flyway version,
    /// a leading number nor a dependency orders (<c>CreateShop.cs</c>, <c>AddOrders.cs</c>): their file names
    /// alone do, alphabetically, which is rarely what was meant. The order itself stays as it is.
    /// </summary>
    internal static IReadOnlyList<string> NameOrderWarnings(IReadOnlyList<MigrationScript> ordered)
    {
        var byId = ordered.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var warnings = new List<string>();
        foreach (var module in ordered.Where(NameOrdered).GroupBy(s => s.Module, StringComparer.Ordinal))
        {
            var scripts = module.ToList();
            if (!scripts.Any(a => scripts.Any(b => a != b && !RunsAfter(a, b, byId) && !RunsAfter(b, a, byId))))
                continue;
            var files = scripts.Select(s => Path.GetFileName(s.Source)).Distinct(StringComparer.Ordinal).ToList();
            var shown = string.Join(", ", files.Take(5)) + (files.Count > 5 ? $" and {files.Count - 5} more" : "");
            warnings.Add(
                $"module '{module.Key}': {scripts.Count} scripts have no date, so their file names alone order them, alphabetically and before every dated script ({shown}, in that order). " +
                "If that is not the order meant, give them date prefixes (as 'swap create' names scripts: yyyyMMddHHmmss_name) or dependencies (ExecuteAfter / -- swap:after).");
        }
        return warnings;

        // A folder script without a date, Flyway version or leading number (0001_x.sql keeps its number's order).
        static bool NameOrdered(MigrationScript s) =>
            s.InFolder && s.OrderDate is null && s.Version is null && !char.IsAsciiDigit(s.OrderName[0]);
    }

    /// <summary>True when <paramref name="later"/> depends on <paramref name="earlier"/>, directly or through other scripts.</summary>
    private static bool RunsAfter(MigrationScript later, MigrationScript earlier, Dictionary<string, MigrationScript> byId)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(later.Dependencies);
        while (stack.TryPop(out var id))
        {
            if (id == earlier.Id)
                return true;
            if (seen.Add(id) && byId.TryGetValue(id, out var s))
            {
                foreach (var d in s.Dependencies)
                    stack.Push(d);
            }
        }
        return false;
    }

    private static SwapException CycleError(List<MigrationScript> stuck, Dictionary<string, MigrationScript> byId)
    {
        // Walk dependencies among the stuck scripts until one repeats: that is a cycle.
        var stuckIds = stuck.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var path = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var current = stuck.OrderBy(s => s.Id, StringComparer.Ordinal).First().Id;
        while (!seen.ContainsKey(current))
        {
            seen[current] = path.Count;
            path.Add(current);
            current = byId[current].Dependencies.First(stuckIds.Contains);
        }
        var cycle = path.Skip(seen[current]).Append(current).ToList();
        cycle.Reverse(); // show "runs before" order: a -> b means b runs after a
        return new SwapException(
            SwapErrorKind.InvalidMigration,
            $"The migrations depend on each other in a cycle: {string.Join(" -> ", cycle)} (each runs after the one before it). " +
            $"Break the cycle by removing one ExecuteAfter / -- swap:after. Scripts involved: {string.Join(", ", cycle.Distinct().Select(id => $"{id} ({byId[id].Source})"))}.");
    }
}
