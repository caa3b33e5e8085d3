using Swap.Engine.Schema;

namespace Swap.Engine;

/// <summary>A table a script asked for: its original schema (as first seen), names, and the script's changes.</summary>
internal sealed class TableUse(TableSchema original, SwapNames names, DbTable? model, bool copyExists)
{
    public TableSchema Original { get; } = original;

    public SwapNames Names { get; } = names;

    /// <summary>Set for <c>UseTableForAlterAsync</c>: the copy is built from it when the table is done.</summary>
    public DbTable? Model { get; } = model;

    /// <summary>True for <c>UseTableAsync</c>: the copy exists from the start and the script may change it with SQL.</summary>
    public bool CopyExists { get; } = copyExists;

    public bool Finished { get; set; }

    /// <summary>The fingerprint of the original's definition taken just before <see cref="Original"/> was read (<see cref="TableDefinition"/>); null on a replay.</summary>
    public string? Definition { get; init; }

    /// <summary>True when the engine swaps this table online (see <see cref="TableEngine.SwapsOnline"/>); false for a one-transaction rebuild.</summary>
    public bool Online { get; set; }

    /// <summary>What identifies this table's part of a swap in the journal.</summary>
    public string Identity => Names.Table + "|" + (CopyExists ? "sql" : "model") + "|" + string.Join(";", Model?.Changes ?? []);
}
