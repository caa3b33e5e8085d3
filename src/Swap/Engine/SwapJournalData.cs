using System.Text.Json.Nodes;

namespace Swap.Engine;

/// <summary>
/// What a swap records in the journal beside its stage (<see cref="SwapStage"/>): its per-table progress (the key of
/// the last copied chunk and rows copied). Written after every chunk in the chunk's transaction.
/// </summary>
internal sealed class SwapJournalData
{
    public Dictionary<string, TableProgress> Tables { get; } = new(StringComparer.Ordinal);

    /// <summary>Each table's schema as the swap first saw it (JSON), for replays.</summary>
    public Dictionary<string, string> Schemas { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Each table's definition fingerprint from when its schema was read (<see cref="TableDefinition"/>), checked at the cut-over.</summary>
    public Dictionary<string, string> Definitions { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Each table's storage identity once capture was on it (<see cref="TableEngine.StorageIdentityAsync"/>), checked at the cut-over.</summary>
    public Dictionary<string, string> Storage { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Failure { get; set; }

    /// <summary>The revert window this swap keeps after its cut-over, decided when it starts; null for none.</summary>
    public TimeSpan? RevertWindow { get; set; }
    /// <summary>The copy's secondary indexes are built after its rows are in (<see cref="OnlineSwapOptions.SqliteIndexesAfterCopy"/>), decided when the swap starts.</summary>
    public bool IndexesAfterCopy { get; set; }

    /// <summary>With <see cref="IndexesAfterCopy"/>: the indexes are built as soon as the application's writes reach the change log during the copy (<see cref="OnlineSwapOptions.SqliteIndexesAfterCopy"/> unset).</summary>
    public bool IndexesAtFirstWrite { get; set; }

    /// <summary>The swap waits for <c>swap cut-over</c> before its cut-over (<c>up --postpone-cut-over</c>); a resumed run keeps waiting.</summary>
    public bool PostponeCutOver { get; set; }

    /// <summary>An operator's <c>swap cut-over</c> reached the postponed swap: a resumed run cuts over without waiting again.</summary>
    public bool CutOverApproved { get; set; }

    public TableProgress Table(string name)
    {
        if (!Tables.TryGetValue(name, out var p))
            Tables[name] = p = new TableProgress();
        return p;
    }

    public string Write()
    {
        var tables = new JsonObject();
        foreach (var (name, p) in Tables)
        {
            tables[name] = new JsonObject
            {
                ["watermark"] = p.Watermark is null ? null : KeyValues.Encode(p.Watermark),
                ["copied"] = p.Copied,
                ["done"] = p.Done,
            };
            if (p.ResyncedUpTo is { } upTo)
                tables[name]!["resyncedUpTo"] = upTo;
        }
        var schemas = new JsonObject();
        foreach (var (name, json) in Schemas)
            schemas[name] = json;
        var root = new JsonObject { ["tables"] = tables, ["schemas"] = schemas };
        if (Definitions.Count > 0)
        {
            var definitions = new JsonObject();
            foreach (var (name, fingerprint) in Definitions)
                definitions[name] = fingerprint;
            root["definitions"] = definitions;
        }
        if (Storage.Count > 0)
        {
            var storage = new JsonObject();
            foreach (var (name, identity) in Storage)
                storage[name] = identity;
            root["storage"] = storage;
        }
        if (Failure is not null)
            root["failure"] = Failure;
        if (RevertWindow is { } window)
            root["revertWindowSeconds"] = (long)window.TotalSeconds;
        if (IndexesAfterCopy)
            root["indexesAfterCopy"] = true;
        if (IndexesAtFirstWrite)
            root["indexesAtFirstWrite"] = true;
        if (PostponeCutOver)
            root["postponeCutOver"] = true;
        if (CutOverApproved)
            root["cutOverApproved"] = true;
        return root.ToJsonString();
    }

    public static SwapJournalData Read(string? json)
    {
        var data = new SwapJournalData();
        if (string.IsNullOrEmpty(json))
            return data;
        var root = JsonNode.Parse(json)!.AsObject();
        data.Failure = root["failure"]?.GetValue<string>();
        if (root["revertWindowSeconds"]?.GetValue<long>() is { } seconds)
            data.RevertWindow = TimeSpan.FromSeconds(seconds);
        data.IndexesAfterCopy = root["indexesAfterCopy"]?.GetValue<bool>() ?? false;
        data.IndexesAtFirstWrite = root["indexesAtFirstWrite"]?.GetValue<bool>() ?? false;
        data.PostponeCutOver = root["postponeCutOver"]?.GetValue<bool>() ?? false;
        data.CutOverApproved = root["cutOverApproved"]?.GetValue<bool>() ?? false;
        if (root["schemas"] is JsonObject schemas)
        {
            foreach (var (name, node) in schemas)
                data.Schemas[name] = node!.GetValue<string>();
        }
        if (root["definitions"] is JsonObject definitions)
        {
            foreach (var (name, node) in definitions)
                data.Definitions[name] = node!.GetValue<string>();
        }
        if (root["storage"] is JsonObject storage)
        {
            foreach (var (name, node) in storage)
                data.Storage[name] = node!.GetValue<string>();
        }
        if (root["tables"] is JsonObject tables)
        {
            foreach (var (name, node) in tables)
            {
                var p = data.Table(name);
                p.Watermark = node?["watermark"] is JsonArray w ? KeyValues.Decode(w) : null;
                p.Copied = node?["copied"]?.GetValue<long>() ?? 0;
                p.Done = node?["done"]?.GetValue<bool>() ?? false;
                p.ResyncedUpTo = node?["resyncedUpTo"]?.GetValue<long>();
            }
        }
        return data;
    }

    internal sealed class TableProgress
    {
        /// <summary>The key of the last row of the last committed chunk; null before the first.</summary>
        public object?[]? Watermark { get; set; }

        public long Copied { get; set; }

        public bool Done { get; set; }

        /// <summary>
        /// With a revert window: the reverse change log's last id when the cut-over's catch-up ended
        /// under the lock. Rows up to it are the applier's re-syncs of the copy, not the
        /// application's writes (see <see cref="SwapSpec.ApplicationDeletesAfter"/>).
        /// </summary>
        public long? ResyncedUpTo { get; set; }
    }
}
