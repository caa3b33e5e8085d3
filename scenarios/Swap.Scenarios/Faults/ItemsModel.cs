namespace Swap.Scenarios.Faults;

/// <summary>One row of the harness table as the oracle knows it.</summary>
/// <param name="FromWriter">Inserted by the writer during the trial: its <c>grp_label</c> may be NULL when the insert came after the cut-over.</param>
/// <param name="FormerGrps">
/// The groups the writer moved the row out of (<see cref="TableShape.CompositeKey"/> only): a move
/// after the cut-over leaves <c>grp_label</c> at the group the row had then.
/// </param>
public sealed record ItemRow(long Id, int Grp, string Name, int Qty, string? Note, bool FromWriter, int[]? FormerGrps = null);

/// <summary>
/// The oracle: the table's known initial content with every acknowledged write applied, in
/// order. Pinned rows are never touched by the writer (fault injectors hold locks on them).
/// </summary>
public sealed class ItemsModel
{
    private readonly Dictionary<long, ItemRow> rows = [];
    private readonly List<long> keys = [];
    private readonly Dictionary<long, int> position = [];
    private readonly HashSet<long> pinned = [];

    public int Count => rows.Count;

    public IReadOnlyDictionary<long, ItemRow> Rows => rows;

    public ItemRow? Find(long id) => rows.GetValueOrDefault(id);

    public void Put(ItemRow row)
    {
        if (!rows.ContainsKey(row.Id))
        {
            position[row.Id] = keys.Count;
            keys.Add(row.Id);
        }
        rows[row.Id] = row;
    }

    public void Remove(long id)
    {
        if (!rows.Remove(id))
            return;
        var at = position[id];
        var last = keys[^1];
        keys[at] = last;
        position[last] = at;
        keys.RemoveAt(keys.Count - 1);
        position.Remove(id);
    }

    /// <summary>Keeps the writer away from this row (a fault injector locks it).</summary>
    public void Pin(long id) => pinned.Add(id);

    /// <summary>A random row the writer may change, or null when there is none.</summary>
    public ItemRow? PickUnpinned(Random random)
    {
        for (var attempt = 0; attempt < 20 && keys.Count > 0; attempt++)
        {
            var id = keys[random.Next(keys.Count)];
            if (!pinned.Contains(id))
                return rows[id];
        }
        return null;
    }
}
