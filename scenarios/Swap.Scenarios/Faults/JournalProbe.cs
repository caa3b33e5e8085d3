using System.Data.Common;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Swap.Scenarios.Faults;

/// <summary>Where a swap stands, as its journal row says (committed state only).</summary>
/// <param name="Phase">The last recorded phase (<c>started</c>, <c>copy-created</c>, ... <c>old-dropped</c>).</param>
/// <param name="Copied">Rows copied by committed chunks.</param>
/// <param name="CopyDone">True once the last chunk committed.</param>
public sealed record JournalState(string Phase, long Copied, bool CopyDone)
{
    /// <summary>The phase a process stopped now would be in: the one after the last recorded.</summary>
    public string Current => Phase switch
    {
        "started" => "creating the copy",
        "copy-created" => "installing capture",
        "capture-installed" => CopyDone ? "finishing the copy" : Copied == 0 ? "copying (first chunk)" : "copying",
        "copied" => "building indexes",
        "indexed" => "verifying",
        "verified" => "cutting over",
        "swapped" => "removing capture",
        "capture-removed" => "dropping the old table",
        "old-dropped" or "done" => "recording the script",
        _ => Phase,
    };
}

/// <summary>Reads the journal of a running swap from the harness's own connection.</summary>
public sealed class JournalProbe(FaultTarget target, string scriptId) : IAsyncDisposable
{
    private DbConnection? connection;

    /// <summary>The swap step's row, or null when there is none yet (or the server is away).</summary>
    public async Task<JournalState?> ReadAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            connection ??= await target.OpenAsync(cancellationToken);
            var rows = await Db.QueryAsync(connection, "SELECT state, data FROM swap_journal WHERE script_id = @id AND op = 'swap'", cancellationToken, ("id", scriptId));
            if (rows.Count == 0)
                return null;
            return Parse((string)rows[0][0]!, rows[0][1] as string);
        }
        catch (Exception e) when (e is DbException or SwapException or InvalidOperationException or IOException)
        {
            // No journal table yet, or the connection died (a restart): try again next time.
            if (connection is not null)
                await connection.DisposeAsync();
            connection = null;
            return null;
        }
    }

    public static JournalState Parse(string state, string? data)
    {
        long copied = 0;
        var done = false;
        // The result is the swap's progress (JSON) while it runs, and "swapped" once the step is done.
        if (data is not null && JsonNode.Parse(data)?["r"]?.GetValue<string>() is { } result && result.StartsWith('{') && JsonNode.Parse(result)?["tables"] is JsonObject tables)
        {
            foreach (var (_, table) in tables)
            {
                copied += table?["copied"]?.GetValue<long>() ?? 0;
                done = table?["done"]?.GetValue<bool>() ?? false;
            }
        }
        return new JournalState(state, copied, done);
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
            await connection.DisposeAsync();
    }
}
