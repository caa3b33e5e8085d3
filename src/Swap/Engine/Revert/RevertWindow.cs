using System.Globalization;
using System.Text.Json.Nodes;

namespace Swap.Engine.Revert;

/// <summary>The stages of a revert, in order; each is recorded in the window's journal row when it is complete.</summary>
internal enum RevertStage
{
    /// <summary>The window is open: the old table is kept in sync through the reverse capture.</summary>
    Open,

    /// <summary>The old table is back under the table's name (the reverse cut-over committed).</summary>
    SwappedBack,

    /// <summary>The reverse capture is gone and the former original's foreign keys are validated.</summary>
    CaptureRemoved,

    /// <summary>The swapped-in table is dropped; the script is recorded pending once every group of it is here.</summary>
    Reverted,
}

/// <summary>One table of a revert window: how the old table's columns come back from the new table's.</summary>
/// <param name="Table">The table's name.</param>
/// <param name="Original">The original's schema as the swap first saw it (JSON, <see cref="Schema.SchemaJson"/>).</param>
/// <param name="Columns">Old column, new column: the columns the swap kept (perhaps renamed or retyped).</param>
/// <param name="Values">Old columns the swap dropped that the script gave a value for rows inserted during the window (SQL over the new row).</param>
/// <param name="Current">The swapped-in table's schema (JSON) as the revert found it before swapping back, recorded with the swap back, so a resumed revert moves the same triggers.</param>
internal sealed record RevertTable(string Table, string Original, IReadOnlyList<(string Old, string New)> Columns, IReadOnlyDictionary<string, string> Values, string? Current = null)
{
    /// <summary>The columns of the table as the swap left it (null in windows opened by older builds): a column beyond them came from a later change, which a revert would lose.</summary>
    public IReadOnlyList<string>? SwappedIn { get; init; }

    /// <summary>The secondary indexes of the table as the swap left it (null in windows opened by older builds): an index beyond them came from a later change, which a revert would lose.</summary>
    public IReadOnlyList<string>? SwappedInIndexes { get; init; }

    /// <summary>The reverse log's last id written before the cut-over (the forward applier's re-syncs); null when not known.</summary>
    public long? ResyncedUpTo { get; init; }
}

/// <summary>
/// An open revert window: the tables one swap (<c>DoneUsingTablesAsync</c>) swapped in together,
/// whose originals are kept in sync until <see cref="ExpiresUtc"/>. Kept in the journal table under
/// the key <c>script@window</c>, one row per swap of the script (<see cref="Seq"/>).
/// </summary>
internal sealed class RevertWindow
{
    public const string KeySuffix = "@window";
    public const string Op = "revert-window";

    public required string ScriptId { get; init; }

    public required int Seq { get; init; }

    public RevertStage Stage { get; set; }

    public required DateTime OpenedUtc { get; init; }

    public required DateTime ExpiresUtc { get; init; }

    public required IReadOnlyList<RevertTable> Tables { get; set; }

    public IEnumerable<string> TableNames => Tables.Select(t => t.Table);

    public static string Key(string scriptId) => scriptId + KeySuffix;

    public static bool IsKey(string journalKey) => journalKey.EndsWith(KeySuffix, StringComparison.Ordinal);

    public static string ScriptOf(string journalKey) => journalKey[..^KeySuffix.Length];

    private static readonly (RevertStage Stage, string Name)[] StageNames =
    [
        (RevertStage.Open, "open"),
        (RevertStage.SwappedBack, "swapped-back"),
        (RevertStage.CaptureRemoved, "capture-removed"),
        (RevertStage.Reverted, "reverted"),
    ];

    public static string Name(RevertStage stage) => StageNames.First(s => s.Stage == stage).Name;

    public static RevertStage ParseStage(string name) =>
        StageNames.FirstOrDefault(s => s.Name == name) is { Name: not null } found ? found.Stage : RevertStage.Open;

    public string Write()
    {
        var tables = new JsonArray();
        foreach (var t in Tables)
        {
            var columns = new JsonArray();
            foreach (var (o, n) in t.Columns)
                columns.Add(new JsonArray(o, n));
            var values = new JsonObject();
            foreach (var (column, sql) in t.Values)
                values[column] = sql;
            var node = new JsonObject { ["table"] = t.Table, ["original"] = t.Original, ["columns"] = columns, ["values"] = values };
            if (t.Current is not null)
                node["current"] = t.Current;
            if (t.ResyncedUpTo is { } upTo)
                node["resyncedUpTo"] = upTo;
            if (t.SwappedIn is not null)
                node["swappedIn"] = new JsonArray(t.SwappedIn.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
            if (t.SwappedInIndexes is not null)
                node["swappedInIndexes"] = new JsonArray(t.SwappedInIndexes.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
            tables.Add(node);
        }
        return new JsonObject
        {
            ["opened"] = OpenedUtc.ToString("O", CultureInfo.InvariantCulture),
            ["expires"] = ExpiresUtc.ToString("O", CultureInfo.InvariantCulture),
            ["tables"] = tables,
        }.ToJsonString();
    }

    public static RevertWindow Read(string scriptId, int seq, RevertStage stage, string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var tables = new List<RevertTable>();
        foreach (var node in root["tables"]!.AsArray())
        {
            var columns = node!["columns"]!.AsArray().Select(c => (c![0]!.GetValue<string>(), c[1]!.GetValue<string>())).ToList();
            var values = node["values"]!.AsObject().ToDictionary(v => v.Key, v => v.Value!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
            tables.Add(new RevertTable(node["table"]!.GetValue<string>(), node["original"]!.GetValue<string>(), columns, values, node["current"]?.GetValue<string>())
            {
                SwappedIn = node["swappedIn"]?.AsArray().Select(c => c!.GetValue<string>()).ToList(),
                SwappedInIndexes = node["swappedInIndexes"]?.AsArray().Select(c => c!.GetValue<string>()).ToList(),
                ResyncedUpTo = node["resyncedUpTo"]?.GetValue<long>(),
            });
        }
        return new RevertWindow
        {
            ScriptId = scriptId,
            Seq = seq,
            Stage = stage,
            OpenedUtc = DateTime.Parse(root["opened"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            ExpiresUtc = DateTime.Parse(root["expires"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            Tables = tables,
        };
    }
}
