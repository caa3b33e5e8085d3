using System.Data.Common;
using Swap.Data;

namespace Swap.Engine;

/// <summary>
/// Builds what each copy defers until its rows are in: the secondary indexes, on PostgreSQL the
/// key itself, on MySQL the copy's own foreign keys (the dialect's <c>BuildKeyIndexAsync</c> /
/// <c>BuildIndexesAsync</c>). The applier pauses meanwhile; the indexes are built plainly, since
/// nothing but the applier writes a copy.
/// </summary>
internal sealed class IndexBuilder(SwapContext swap, CatchUp catchUp)
{
    private bool builtAtFirstWrite;

    /// <summary>
    /// True once the application has written a table of the swap since capture began (the applier
    /// applied a write, or a change log holds one): the builds then run in one server process each
    /// (<see cref="TableEngine.SetSerialBuildsAsync"/>) and verification comes after them where the
    /// engine's builds would otherwise use several (<see cref="BuildWhileAsync"/>).
    /// </summary>
    private bool besideWrites;

    /// <summary>True when the copy has something to build once filled: deferred indexes, its key, or what the engine adds then (MySQL: the copy's own foreign keys).</summary>
    public bool HasWork(SwapSpec spec) => spec.DeferredIndexes.Count > 0 || spec.KeyDeferred || swap.Engine.BuildsAfterCopy(spec);

    /// <summary>
    /// True when the indexes can be built on a second connection while this one verifies: online,
    /// outside a script transaction, where readers neither wait for a write nor keep it from
    /// committing (<see cref="TableEngine.ReadsBesideWritesAsync"/>: SQLite in WAL mode, where a
    /// build holds the only write lock but readers keep their snapshot), with something to build,
    /// and no deferred key that is not the primary key (that comes with the secondary indexes, and
    /// verification would walk an unindexed copy).
    /// </summary>
    public async Task<bool> CanBuildWhileVerifyingAsync() =>
        swap.Online && !swap.InTransaction
        && swap.Specs.Any(HasWork)
        && !swap.Specs.Any(s => s.KeyDeferred && !s.KeyBuiltFirst)
        && await swap.Engine.ReadsBesideWritesAsync(swap.Connection, swap.Token);

    /// <summary>Builds the deferred indexes of one copy (with <paramref name="keyOnly"/>, only its deferred key).</summary>
    public async Task BuildAsync(DbConnection connection, SwapSpec spec, CancellationToken cancellationToken, bool keyOnly = false, bool report = true)
    {
        if (report)
            swap.Report(spec, SwapPhase.BuildingIndexes, swap.Copied(spec), 0);
        try
        {
            Running.FaultPoints.Hit("index");
            if (besideWrites)
                await swap.Engine.SetSerialBuildsAsync(connection, true, cancellationToken);
            if (keyOnly)
            {
                await swap.Engine.BuildKeyIndexAsync(connection, spec, cancellationToken);
            }
            else
            {
                // Where writers take turns with one lock (SQLite), each build is followed by their turn.
                var started = swap.Run.Time.GetTimestamp();
                await swap.Engine.BuildIndexesAsync(connection, spec, async () =>
                {
                    await swap.LetWritersInAsync(swap.Run.Time.GetElapsedTime(started));
                    started = swap.Run.Time.GetTimestamp();
                }, cancellationToken);
            }
            // Back to the server's setting for what follows on this connection (after a failure the
            // connection's session is not reused for builds without setting it again).
            if (besideWrites)
                await swap.Engine.SetSerialBuildsAsync(connection, false, cancellationToken);
            Running.FaultPoints.Hit("index-built");
        }
        catch (Exception e) when (swap.Session.Database.IsDatabaseError(e) && !cancellationToken.IsCancellationRequested)
        {
            throw swap.Session.Database.Translate(e, $"{swap.ScriptId}: build the indexes of the copy of {spec.Original.Name}");
        }
    }

    /// <summary>
    /// Between chunks, when the swap defers the copy's indexes only until the application writes
    /// (<see cref="SwapJournalData.IndexesAtFirstWrite"/>, SQLite's default) and the applier has
    /// applied a write: builds them now, on the rows copied so far, each build followed by the
    /// writers' turn. From then on every chunk and the applier keep them current, so the
    /// application never waits for a build over the whole table; a table nobody writes keeps its
    /// fast bare copy and is indexed after it. Builds found already made (an earlier run, or this
    /// run's earlier call) are skipped by name, so the journal needs no record of it.
    /// </summary>
    public async Task BuildAtFirstWriteAsync()
    {
        if (builtAtFirstWrite || !swap.Data.IndexesAtFirstWrite || swap.Applier.Applied == 0)
            return;
        builtAtFirstWrite = true;
        EngineLog.IndexesAtFirstWrite(swap.Logger, swap.Tables);
        foreach (var spec in swap.Specs.Where(s => s.DeferredIndexes.Count > 0))
            await BuildAsync(swap.Connection, spec, swap.Token, report: false);
    }

    /// <summary>Builds every copy's deferred indexes on the swap's own connection, one after the other (a deferred key first, see <see cref="BuildKeysAsync"/>).</summary>
    public async Task BuildAllAsync()
    {
        await NoteWritesAsync();
        await BuildKeysAsync();
        await BuildSecondaryAsync();
    }

    /// <summary>Sets <see cref="besideWrites"/> once the application has written (asked before the builds, on the swap's own connection).</summary>
    private async Task NoteWritesAsync()
    {
        if (besideWrites || !swap.Online || swap.InTransaction)
            return;
        besideWrites = swap.Applier.Applied > 0;
        foreach (var spec in swap.Specs)
        {
            if (besideWrites)
                break;
            besideWrites = await swap.Connection.ScalarAsync(SwapQueries.AnyLogged(swap.Engine, spec), swap.Token) is not (null or DBNull);
        }
        if (besideWrites && swap.Engine.IndexBuildsUseParallelWorkers)
            EngineLog.SerialIndexBuilds(swap.Logger, swap.Tables);
    }

    /// <summary>
    /// Builds the secondary indexes after the key, with the log applied down to less than a batch.
    /// Under writes a unique value can still sit in the copy twice: the application moved it from one
    /// row to another, and only one of the two rows has been re-synced (the other is in the rest of
    /// the log). Its unique index then fails on the duplicate; the applier catches up and the build
    /// is repeated, up to <see cref="UniqueBuildAttempts"/> times. A duplicate the application wrote
    /// into the original itself (nothing there enforces the new index) fails every attempt and stops
    /// the swap with the database's error.
    /// </summary>
    private async Task BuildSecondaryAsync(int firstAttempt = 1)
    {
        foreach (var spec in swap.Specs.Where(HasWork))
        {
            for (var attempt = firstAttempt; ; attempt++)
            {
                try
                {
                    await BuildAsync(swap.Connection, spec, swap.Token);
                    break;
                }
                catch (SwapException e) when (attempt < UniqueBuildAttempts && swap.Online && !swap.InTransaction && swap.Session.Database.IsUniqueViolation(e))
                {
                    EngineLog.UniqueBuildRetry(swap.Logger, spec.Original.Name, attempt, e.Message);
                    await catchUp.RunAsync();
                }
            }
        }
    }

    /// <summary>How many times a unique index the applier's backlog made fail is built (see <see cref="BuildSecondaryAsync"/>).</summary>
    internal const int UniqueBuildAttempts = 5;

    /// <summary>
    /// Builds each bare copy's deferred key, then applies the change log kept since capture started.
    /// A bare copy can hold a unique value twice: a row copied with it, and a row copied later that
    /// took the value after the first row let it go (both writes are logged; the applier had not run
    /// yet). A unique index built over that would fail; once the log is applied, every row not
    /// logged since is current, and current rows are unique. Writes after this only reach the log.
    /// The key is the primary key, or the unique index that keys a table without one (a bare copy
    /// never holds a key twice: chunks cover disjoint key ranges). Only a script that drops that
    /// index leaves a copy whose key comes with the other indexes, the log applied after them.
    /// </summary>
    private async Task BuildKeysAsync()
    {
        var keyed = swap.Specs.Where(s => s.KeyDeferred).ToList();
        foreach (var spec in keyed)
            await BuildAsync(swap.Connection, spec, swap.Token, keyOnly: true);
        // Without a key index every applier batch would scan the copy.
        if (keyed.Count > 0 && keyed.All(s => s.KeyBuiltFirst))
            await catchUp.RunAsync();
    }

    /// <summary>
    /// Builds each copy's deferred key first (verification walks the copy by it) and applies the log
    /// (<see cref="BuildKeysAsync"/>), then the other
    /// indexes on a connection of their own while <paramref name="verifyAll"/> runs on this one
    /// (one after the other instead when the applier has applied writes of the application and
    /// the engine's builds use parallel workers, <see cref="TableEngine.IndexBuildsUseParallelWorkers"/>):
    /// both only read what the other writes, and with the applier paused every key without a
    /// change-log row is current in the copy, which is all verification relies on. Two cores do
    /// both at once, in the time of the longer. A failure of verification stops the build; a build
    /// that meets a duplicate the backlog left (see <see cref="BuildSecondaryAsync"/>) is repeated
    /// after verification, once the applier has caught up, one build after the other.
    /// </summary>
    public async Task BuildWhileAsync(Verifier verifier, Func<Task> verifyAll)
    {
        await NoteWritesAsync();
        await BuildKeysAsync();
        await NoteWritesAsync();
        if (besideWrites && swap.Engine.IndexBuildsUseParallelWorkers)
        {
            // The application writes these tables: one busy server session at a time (the build,
            // with the server's own parallel workers, then verification) leaves cores to it. Beside
            // each other they starved its sessions on a small server (docs/benchmarks.md,
            // "Verification beside the index build under writes").
            EngineLog.VerifyingAfterIndexes(swap.Logger, swap.Tables);
            await BuildSecondaryAsync();
            await verifyAll();
            return;
        }

        EngineLog.IndexesBesideVerification(swap.Logger, swap.Tables);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(swap.Token);
        // Progress says "building indexes" until they are built, then "verifying": the verifier
        // stays silent while the build runs, and the builder never reports from its thread.
        swap.Report(swap.Specs[0], SwapPhase.BuildingIndexes, swap.Copied(swap.Specs[0]), 0);
        var indexing = Task.Run(async () =>
        {
            await using var builder = await swap.Session.Database.OpenConnectionAsync(stop.Token);
            foreach (var spec in swap.Specs.Where(HasWork))
                await BuildAsync(builder, spec, stop.Token, report: false);
        }, stop.Token);
        verifier.SilentWhile = indexing;
        async Task StopIndexingAsync()
        {
            await stop.CancelAsync();
            try
            {
                await indexing;
            }
            catch (Exception e) when (e is OperationCanceledException || swap.Session.Database.IsDatabaseError(e) || e is SwapException)
            {
                // Verification's failure is the one to report; the build was stopped because of it.
            }
        }
        // A difference found while a build holds SQLite's write lock: stop the build first, or
        // removing capture would wait for that lock and fail instead of recording the difference.
        verifier.StopBesideAsync = StopIndexingAsync;
        try
        {
            await verifyAll();
        }
        catch
        {
            await StopIndexingAsync();
            throw;
        }
        finally
        {
            verifier.SilentWhile = null;
            verifier.StopBesideAsync = null;
        }
        try
        {
            await indexing;
        }
        catch (SwapException e) when (swap.Session.Database.IsUniqueViolation(e))
        {
            EngineLog.UniqueBuildRetry(swap.Logger, swap.Tables, 1, e.Message);
            await catchUp.RunAsync();
            await BuildSecondaryAsync(firstAttempt: 2);
        }
        verifier.ReportSilentProgress();
    }
}
