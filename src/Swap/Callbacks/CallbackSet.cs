using Swap.Discovery;

namespace Swap.Callbacks;

/// <summary>One SQL callback file: its event, path and text.</summary>
internal sealed record SqlCallback(CallbackEvent Event, string Path, string Text);

/// <summary>
/// The callbacks of a run: at most one SQL file per event across all migrations folders (a second
/// one is refused), then the C# callback classes in name order.
/// </summary>
internal sealed class CallbackSet
{
    public static CallbackSet Empty { get; } = new([], []);

    public CallbackSet(IReadOnlyList<SqlCallback> sql, IReadOnlyList<Type> types)
    {
        foreach (var duplicate in sql.GroupBy(c => c.Event).Where(g => g.Count() > 1))
        {
            throw new SwapException(
                SwapErrorKind.InvalidMigration,
                $"Two {duplicate.Key.FileName()} callbacks: {string.Join(" and ", duplicate.Select(c => c.Path))}. A run has one SQL callback per event; merge them into one file.");
        }
        Sql = sql.ToDictionary(c => c.Event);
        Types = types.OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();
    }

    public IReadOnlyDictionary<CallbackEvent, SqlCallback> Sql { get; }

    public IReadOnlyList<Type> Types { get; }

    public bool IsEmpty => Sql.Count == 0 && Types.Count == 0;

    /// <summary>True when something runs for the event.</summary>
    public bool Has(CallbackEvent e) => Sql.ContainsKey(e) || Types.Count > 0;

    /// <summary>Reads the SQL callbacks found in folders.</summary>
    public static SqlCallback Read(string path)
    {
        var e = CallbackEvents.FromFileName(System.IO.Path.GetFileName(path))!.Value;
        return new SqlCallback(e, path, File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF'));
    }

    /// <summary>A stand-in script for the callbacks that run once per run (they have no script of their own).</summary>
    public static MigrationScript RunScript(CallbackEvent e) =>
        new(e.FileName()[..^4], "", null, ScriptKind.Sql, "") { Source = "callback", OrderName = e.ToString() };
}
