using System.Data.Common;

namespace Swap.Engine;

internal sealed partial class SwapOperation
{
    /// <summary>
    /// Online, outside a script transaction, the deferred indexes are built on a second connection
    /// while this one verifies the copies: both only read what the other writes (an index build
    /// reads the copy, verification reads the copy and the original), the applier pauses for both,
    /// and with it paused every key without a change-log row is current in the copy, which is all
    /// verification relies on. Two cores do both at once, in the time of the longer.
    /// </summary>
    /// <summary>While set and running, verification reports nothing (the indexes are still being built).</summary>
    private Task? silentWhile;

    /// <summary>Rows each verification covered, reported once the indexes are built.</summary>
    private readonly List<(SwapSpec Spec, long Rows)> verifiedRows = [];

    private bool CanVerifyWhileIndexing =>
        online && !state.InTransaction
        && specs.Any(HasIndexWork)
        // A deferred key that is not the primary key comes with the secondary indexes: verification would walk an unindexed copy.
        && !specs.Any(s => s.KeyDeferred && s.TargetPrimaryKey.Count == 0);

    /// <summary>
    /// Builds each copy's key first where it was deferred (verification walks the copy by it), then
    /// the other indexes on a connection of their own while the copies are verified here; records
    /// <see cref="SwapStage.Indexed"/>, then <see cref="SwapStage.Verified"/> after a catch-up. A
    /// failure of either stops the other; nothing is recorded that did not finish.
    /// </summary>
    private async Task IndexAndVerifyAsync()
    {
        foreach (var spec in specs.Where(s => s.KeyDeferred))
            await BuildIndexesAsync(Connection, spec, Token, keyOnly: true);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        // Progress says "building indexes" until they are built, then "verifying": the verifier
        // stays silent while the build runs, and the builder never reports from its thread.
        Report(specs[0], SwapPhase.BuildingIndexes, data.Table(specs[0].Original.Name).Copied, 0);
        var indexing = Task.Run(async () =>
        {
            await using var builder = await session.Database.OpenConnectionAsync(stop.Token);
            foreach (var spec in specs.Where(HasIndexWork))
                await BuildIndexesAsync(builder, spec, stop.Token, report: false);
        }, stop.Token);
        silentWhile = indexing;
        try
        {
            foreach (var spec in specs)
                await VerifyTableAsync(spec);
        }
        catch
        {
            await stop.CancelAsync();
            try
            {
                await indexing;
            }
            catch (Exception e) when (e is OperationCanceledException || session.Database.IsDatabaseError(e) || e is SwapException)
            {
                // Verification's failure is the one to report; the build was stopped because of it.
            }
            throw;
        }
        finally
        {
            silentWhile = null;
        }
        await indexing;
        foreach (var (spec, verified) in verifiedRows)
            Report(spec, SwapPhase.Verifying, verified, 0, VerifyChunk);
        await SaveAsync(SwapStage.Indexed);
        await CatchUpAsync();
        await SaveAsync(SwapStage.Verified);
    }

    /// <summary>True when the copy has something to build once filled: deferred indexes, its key, or what the engine adds then (MySQL: the copy's own foreign keys).</summary>
    private bool HasIndexWork(SwapSpec spec) => spec.DeferredIndexes.Count > 0 || spec.KeyDeferred || engine.BuildsAfterCopy(spec);

    /// <summary>Builds the deferred indexes of one copy (with <paramref name="keyOnly"/>, only its deferred key).</summary>
    private async Task BuildIndexesAsync(DbConnection connection, SwapSpec spec, CancellationToken cancellationToken, bool keyOnly = false, bool report = true)
    {
        if (report)
            Report(spec, SwapPhase.BuildingIndexes, data.Table(spec.Original.Name).Copied, 0);
        try
        {
            Running.FaultPoints.Hit("index");
            if (keyOnly)
                await engine.BuildKeyIndexAsync(connection, spec, cancellationToken);
            else
                await engine.BuildIndexesAsync(connection, spec, cancellationToken);
            Running.FaultPoints.Hit("index-built");
        }
        catch (Exception e) when (session.Database.IsDatabaseError(e) && !cancellationToken.IsCancellationRequested)
        {
            throw session.Database.Translate(e, $"{session.Script.Id}: build the indexes of the copy of {spec.Original.Name}");
        }
    }
}
