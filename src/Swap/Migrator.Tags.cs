using Swap.Discovery;
using Swap.History;

namespace Swap;

public sealed partial class Migrator
{
    /// <summary>
    /// The pending scripts that carry one of <paramref name="tags"/>, in order; all of them when no
    /// tag is given. A selected script that runs after a pending script outside the selection is
    /// refused (nothing is skipped silently): the dependency must be applied first or tagged too.
    /// </summary>
    private List<MigrationScript> SelectTagged(List<MigrationScript> pending, IReadOnlyList<string>? tags, IReadOnlyDictionary<string, HistoryEntry> recorded)
    {
        if (tags is not { Count: > 0 })
            return pending;
        CheckKnownTags(tags);
        var selected = pending.Where(s => s.HasAnyTag(tags)).ToList();
        var ids = selected.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var script in selected)
        {
            foreach (var dependency in script.Dependencies)
            {
                if (ids.Contains(dependency) || (recorded.TryGetValue(dependency, out var h) && h.Status == HistoryStatus.Applied))
                    continue;
                var tagList = string.Join(", ", tags);
                throw new SwapException(
                    SwapErrorKind.Refused,
                    $"{script.Id} (tags {string.Join(", ", script.Tags)}) runs after {dependency}, which is pending and carries none of the tags {tagList}. " +
                    $"Nothing was applied. Apply it first ('swap up --to {dependency}'), or add one of the tags {tagList} to it.")
                { ScriptId = script.Id };
            }
        }
        return selected;
    }

    /// <summary>
    /// The scripts of <paramref name="pending"/> (in catalog order) up to and including the position
    /// of <paramref name="to"/> in the catalog; none when the target is not pending and no tags cut the list.
    /// </summary>
    private List<MigrationScript> UpTo(List<MigrationScript> pending, string? to, IReadOnlyList<string>? tags)
    {
        if (to is null)
            return pending;
        if (tags is not { Count: > 0 } && !pending.Exists(s => s.Id == to))
            return [];
        var order = Catalog.Scripts.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var last = order[to];
        return pending.Where(s => order[s.Id] <= last).ToList();
    }

    /// <summary>A tag no script carries is a typo: refused as a usage error.</summary>
    private void CheckKnownTags(IReadOnlyList<string> tags)
    {
        var known = Catalog.Scripts.SelectMany(s => s.Tags).ToHashSet(StringComparer.Ordinal);
        foreach (var tag in tags)
            ScriptTags.Check(tag, what => new SwapException(SwapErrorKind.Usage, $"--tags {what}."));
        var unknown = tags.Where(t => !known.Contains(t)).ToList();
        if (unknown.Count > 0)
        {
            throw new SwapException(
                SwapErrorKind.Usage,
                $"--tags {string.Join(", ", unknown)}: no script carries {(unknown.Count == 1 ? "that tag" : "these tags")}. Known tags: {(known.Count == 0 ? "none" : string.Join(", ", known.Order(StringComparer.Ordinal)))}.");
        }
    }
}
