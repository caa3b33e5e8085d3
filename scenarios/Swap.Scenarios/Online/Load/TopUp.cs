using Swap.Scenarios.Online.Data;
using Swap.Scenarios.Online.Engines;

namespace Swap.Scenarios.Online.Load;

/// <summary>
/// Brings a finished table to the same write count as the others: replays the writer's sequence
/// from where its run stopped to <c>to</c>, unthrottled, in transactions of 1,000. The writes are
/// the same function of their number in every run, so tables that kept every write agree.
/// </summary>
internal static class TopUp
{
    public static async Task<long> RunAsync(BenchEngine engine, TableModel table, string workspace, long loadedRows, long from, long to, CancellationToken ct)
    {
        if (to <= from)
            return 0;
        await using var connection = await engine.OpenAsync(workspace, ct);
        var sequence = new WriteSequence(table, loadedRows);
        sequence.SkipTo(from);
        using var applier = new WriteApplier(engine, table, connection);
        while (sequence.Position < to)
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            applier.Enlist(tx);
            for (var n = 0; n < 1000 && sequence.Position < to; n++)
            {
                var op = sequence.Next();
                applier.Apply(op);
            }
            await tx.CommitAsync(ct);
        }
        applier.Enlist(null);
        return to - from;
    }
}
