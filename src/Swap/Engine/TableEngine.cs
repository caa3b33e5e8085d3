using System.Data.Common;
using Swap.Dialects;
using Swap.Engine.Schema;

namespace Swap.Engine;

/// <summary>
/// A dialect's part of the online copy-and-swap: it reads the catalog, writes the SQL for the
/// copy, the capture triggers, the chunk copy and the cut-over, and finds leftovers. The phases,
/// chunking, verification, journaling and retries live in the core and are the same everywhere.
/// </summary>
internal abstract class TableEngine(SwapDatabase database)
{
    public SwapDatabase Database { get; } = database;

    public SqlDialect Dialect => Database.Dialect;

    /// <summary>The copy's columns that the mapping fills, quoted, in mapping order: the column list of an INSERT into the copy.</summary>
    protected string Columns(SwapSpec spec) => string.Join(", ", spec.Mapping.Select(m => Dialect.Quote(m.CopyColumn)));

    /// <summary>The mapping's source expressions over the original row, in the same order as <see cref="Columns"/>.</summary>
    protected static string Sources(SwapSpec spec) => string.Join(", ", spec.Mapping.Select(m => m.Source));

    /// <summary>
    /// True when the engine can swap online: the application keeps writing during the copy and
    /// triggers capture its writes (all engines now; SQLite also rebuilds small tables in one
    /// transaction, see <see cref="SwapsOnline"/>).
    /// </summary>
    public abstract bool Online { get; }

    /// <summary>
    /// Whether a swap of <paramref name="original"/> runs online (capture, chunks, applier, a short
    /// cut-over) rather than as one rebuild transaction. <paramref name="original"/> is null before
    /// the table is read: true only when the engine swaps every table online. Engines with a
    /// one-transaction rebuild (SQLite) keep it for small tables, where it is faster.
    /// </summary>
    public virtual bool SwapsOnline(TableSchema? original, OnlineSwapOptions options) => Online;

    /// <summary>The chunk time of an engine that does not say otherwise (PostgreSQL).</summary>
    internal static readonly TimeSpan BaseChunkTime = TimeSpan.FromMilliseconds(500);

    /// <summary>The time a chunk should take when <see cref="OnlineSwapOptions.ChunkTargetTime"/> is unset.</summary>
    public virtual TimeSpan DefaultChunkTime => BaseChunkTime;

    /// <summary>
    /// How long the online engine pauses after a write transaction that held the lock for
    /// <paramref name="held"/>, so that writers waiting for the same lock get their turn. Zero where
    /// the application's writes never wait for Swap's (row locks: MySQL, PostgreSQL); on SQLite,
    /// with one writer at a time, a waiting writer polls with growing sleeps and must find the lock free.
    /// </summary>
    public virtual TimeSpan WritersTurn(TimeSpan held) => TimeSpan.Zero;

    /// <summary>
    /// True when the database has one write lock that the application's writers and every write
    /// transaction of Swap take in turn (SQLite): the catch-up before the cut-over waits for the
    /// same lock as the cut-over, so it is part of each (bounded, retried) cut-over attempt.
    /// </summary>
    public virtual bool OneWriterAtATime => false;

    /// <summary>
    /// Puts the session into the mode Swap's own statements need to copy rows as they are, until the
    /// returned scope ends (MySQL/MariaDB: a stored 0 in an AUTO_INCREMENT column stays 0, a stored
    /// zero date stays a zero date). Statements of the migration itself run outside it.
    /// </summary>
    public virtual Task<IAsyncDisposable> ExactCopySessionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(NoScope.Instance);

    private sealed class NoScope : IAsyncDisposable
    {
        public static readonly NoScope Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>
    /// True when a reader on another connection neither waits for a write transaction nor keeps
    /// it from committing, so verification can read while the indexes are built: always on the
    /// servers; on SQLite only in WAL mode (in rollback-journal mode a reader's shared lock keeps
    /// the build from committing).
    /// </summary>
    public virtual Task<bool> ReadsBesideWritesAsync(DbConnection connection, CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>
    /// True when one index build keeps several server processes busy (PostgreSQL's parallel
    /// maintenance workers): while the application writes, the builds and verification then run
    /// one after the other rather than beside each other, so that Swap does not take every core
    /// (see <see cref="IndexBuilder.BuildWhileAsync"/>). MySQL/MariaDB build with one thread, and
    /// verifying after the build there lengthens the swap and the backlog its cut-over applies.
    /// SQLite's builds sort on helper threads too, but in Swap's own process and under the only
    /// write lock, which the application's writers wait for whatever verification does; not
    /// measured beside the application's writes (only with --sqlite-indexes-after-copy do builds
    /// meet them), so false there.
    /// </summary>
    public virtual bool IndexBuildsUseParallelWorkers => false;

    /// <summary>
    /// Makes the index builds that follow on <paramref name="connection"/> run in one server process
    /// (<paramref name="serial"/>), or again with what the server allows. Asked while the
    /// application writes the tables (<see cref="IndexBuilder"/>): PostgreSQL's parallel
    /// maintenance workers then take the cores its sessions need (docs/benchmarks.md: writer p99
    /// 69 -> 24-42 ms, longest stall 112 -> 48-76 ms on 2 cores). Nothing elsewhere.
    /// </summary>
    public virtual Task SetSerialBuildsAsync(DbConnection connection, bool serial, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Reads a table's schema, or null when there is no such table.</summary>
    public abstract Task<TableSchema?> LoadTableAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken);

    /// <summary>Why this engine cannot make these changes (types it lacks, triggers or foreign keys it cannot carry over); empty when it can.</summary>
    public abstract IEnumerable<string> Refusals(TableSchema original, DbTable? target);

    /// <summary>
    /// Why this table cannot be copied while the application writes it, whatever the change: writes
    /// the capture cannot see (MySQL/MariaDB foreign key actions fire no triggers). An instant
    /// change copies no row, so only the copy's preflight asks; empty when nothing is in the way.
    /// </summary>
    public virtual IEnumerable<string> CaptureRefusals(TableSchema original) => [];

    /// <summary>
    /// The statements that remove rows from a table without firing its row triggers, so without
    /// reaching the change log (MySQL/MariaDB: TRUNCATE, which InnoDB runs as DDL); null where every
    /// removal is captured (PostgreSQL mirrors TRUNCATE into the copy; SQLite has none). The
    /// verifier names them when the copy holds a row the original no longer has.
    /// </summary>
    public virtual string? UncapturedRemovals => null;

    /// <summary>
    /// An identity of the table's storage that the statements of <see cref="UncapturedRemovals"/>
    /// change (MySQL/MariaDB: InnoDB's table ids, which TRUNCATE and rebuilds replace), read when
    /// capture is installed and again under the cut-over's lock: a removal the change log never
    /// heard of after verification would otherwise be swapped back in. Null where there is none,
    /// or where it cannot be read (the user may not read the catalog that holds it).
    /// </summary>
    public virtual Task<string?> StorageIdentityAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);

    /// <summary>
    /// Why these tables cannot be swapped together in one cut-over (each may be on its own); empty
    /// when they can. Only the copy's preflight asks, before any table's own checks.
    /// </summary>
    public virtual IEnumerable<string> TogetherRefusals(IReadOnlyList<TableSchema> originals) => [];

    /// <summary>
    /// Why the values of this key column do not find their rows again when read and bound back as
    /// parameters (the chunks, the journal and the applier all do that); null when they do.
    /// </summary>
    public virtual string? InexactKey(ColumnSchema column) => null;

    /// <summary>
    /// Why a copy of this table cannot take these changes, where the same change made instantly
    /// could (an instant rename updates what the copy's cut-over would have to re-create); only the
    /// copy's preflight asks, so the change is not sent to the copy for these reasons. May write
    /// probes that it rolls back; leaves nothing behind.
    /// </summary>
    public virtual Task<IReadOnlyList<string>> CopyRefusalsAsync(DbConnection connection, DbTransaction? transaction, TableSchema original, DbTable target, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>False where <see cref="LockHoldersAsync"/> lists the sessions that may hold the tables, one of which does.</summary>
    public virtual bool LockHoldersExact => true;

    /// <summary>
    /// What the server or the connected user lacks to swap this table (privileges, ownership,
    /// settings such as MySQL's <c>log_bin_trust_function_creators</c>, features of the server
    /// version), each with the statement or setting that gives it; empty when nothing is missing.
    /// Reads only.
    /// </summary>
    public virtual Task<IReadOnlyList<string>> ServerRefusalsAsync(DbConnection connection, DbTransaction? transaction, TableSchema original, DbTable? target, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>Why this engine cannot keep a revert window for this swap (beyond the mapping's own reasons); empty when it can.</summary>
    public virtual IEnumerable<string> RevertRefusals(SwapSpec forward) => [];

    /// <summary>The statements that create the empty copy with the target's structure (or an exact clone when <paramref name="target"/> is null).</summary>
    public abstract IReadOnlyList<string> CreateCopy(TableSchema original, DbTable? target, SwapNames names);

    /// <summary>
    /// Right after the copy is created: checks on the empty copy what the cut-over will need of it
    /// (MySQL: that the table's own triggers can be recreated on it), so a swap that would fail at
    /// the cut-over fails before any row is copied.
    /// </summary>
    public virtual Task CheckCopyAsync(DbConnection connection, DbTransaction? transaction, TableSchema original, SwapNames names, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Right after the copy is created, with the swap's plan in hand: checks that the server can
    /// build the indexes the copy defers until its rows are in (MySQL: each built on the empty copy
    /// and dropped again), so an index it refuses (a TEXT column without a prefix length, a key
    /// longer than the row format allows) stops the swap before any row is copied, not after all of them.
    /// </summary>
    public virtual Task CheckDeferredIndexesAsync(DbConnection connection, DbTransaction? transaction, SwapSpec spec, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>On a resumed run, before the applier writes the copies: undoes what a killed cut-over attempt may have left on them.</summary>
    public virtual Task UndoCutOverAttemptAsync(DbConnection connection, IReadOnlyList<SwapSpec> specs, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// After the swap, under short locks of its own: moves what the rename could not carry
    /// (MySQL: the table's own triggers take their names back on the swapped table).
    /// </summary>
    public virtual Task AfterSwapAsync(DbConnection connection, SwapSpec spec, OnlineSwapOptions options, TimeProvider time, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// A copy key column's value (<paramref name="copy"/>, an expression over the copy) as the
    /// original's key column compares it, so a lookup of the original (or of the change log, whose
    /// key columns have the original's types) by a copy's key uses the original's index: MySQL
    /// compares two strings of different character sets in the wider one, converting the
    /// original's column, and then scans the whole original for every row of the copy.
    /// </summary>
    public virtual string CopyKeyAsOriginal(string copy, ColumnSchema original, ColumnSchema copyColumn) => copy;

    /// <summary>
    /// An original's key value (<paramref name="original"/>) as the copy's key column compares it,
    /// for a join from the original's rows into the copy: PostgreSQL cannot compare two columns of
    /// different collations and says so ('could not determine which collation to use').
    /// </summary>
    public virtual string OriginalKeyAsCopy(string original, ColumnSchema originalColumn, ColumnSchema copy) => original;

    /// <summary>An expression converting <paramref name="source"/> to the copy column's type where the engine needs it spelled out.</summary>
    public virtual string Convert(string source, ColumnSchema from, ColumnSchema to) => source;

    /// <summary>
    /// True for an index the engine builds on the filled copy (after the rows are copied) rather
    /// than with the empty copy. <see cref="CreateCopy"/> leaves such indexes out when it has a target.
    /// </summary>
    public virtual bool CanDeferIndex(IndexSchema index, bool afterCopyAsked) => false;

    /// <summary>
    /// True when a copy built from the script's changes is filled without the index on its key and
    /// gets it with the deferred indexes (<see cref="SwapSpec.KeyDeferred"/>): chunks are then plain
    /// inserts, and the applier starts once the copy is indexed.
    /// </summary>
    public virtual bool DefersKey => false;

    /// <summary>
    /// Builds <see cref="SwapSpec.DeferredIndexes"/> on the filled copy. Nobody but the applier
    /// writes to the copy, and it pauses meanwhile, so a plain build will do. Must be safe to run
    /// again after an interruption. An engine whose builds make the application's writers wait
    /// (SQLite: one write lock) calls <paramref name="betweenBuilds"/> after each, their turn.
    /// </summary>
    public virtual Task BuildIndexesAsync(DbConnection connection, SwapSpec spec, Func<Task> betweenBuilds, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Builds only the copy's deferred key index (<see cref="SwapSpec.KeyDeferred"/>), for what must walk the copy by its key before the other indexes exist.</summary>
    public virtual Task BuildKeyIndexAsync(DbConnection connection, SwapSpec spec, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// True when <see cref="BuildIndexesAsync"/> has work for this copy beyond its deferred indexes
    /// and key (MySQL: the copy's own foreign keys, added once the indexes they rest on exist).
    /// </summary>
    public virtual bool BuildsAfterCopy(SwapSpec spec) => false;

    /// <summary>
    /// False where the copy gets the script's new foreign keys only after the cut-over (PostgreSQL:
    /// added NOT VALID, then validated): the verifier then looks for a row without a parent row
    /// before anything is swapped. True where the copy holds them, so the chunks and the applier
    /// find such a row as they write it.
    /// </summary>
    public virtual bool CopyChecksNewForeignKeys => true;

    /// <summary>The index-building statements, for <c>plan</c>.</summary>
    public virtual IReadOnlyList<string> BuildIndexesPlan(SwapSpec spec) => [];

    /// <summary>
    /// The statements that create the change log (<see cref="SwapNames.Log"/>: <c>id</c>, <c>op</c>,
    /// and the key as <c>k0..kn</c>) and the row triggers that append each written key to it (a key
    /// change logs both keys). Nothing else enters the application's write path.
    /// </summary>
    public abstract IReadOnlyList<string> InstallCapture(SwapSpec spec);

    /// <summary>The statements that stop capture and drop the change log; safe to run when capture is already gone.</summary>
    public abstract IReadOnlyList<string> RemoveCapture(SwapSpec spec);

    /// <summary>
    /// Copies the original's rows that match <paramref name="range"/> (over alias <c>o</c>) into the
    /// copy with a plain consistent read (no row locks), skipping keys already in the copy. A chunk
    /// may copy a version that is already stale; the change log brings it up to date. The applier
    /// uses the same statement to insert the current rows of a batch's keys.
    /// </summary>
    public abstract string CopyChunk(SwapSpec spec, string range);

    /// <summary>
    /// The applier's insert of the current rows of a batch's keys (<c>@a{row}_{column}</c>) into the
    /// copy, skipping keys already there: by default <see cref="CopyChunk"/> over the key list.
    /// </summary>
    public virtual string ApplyRows(SwapSpec spec, int keys) => CopyChunk(spec, KeyRange.In(Dialect, "o", spec.Key, keys, "a"));

    /// <summary>
    /// The applier's in-place re-sync for a copy with <see cref="SwapSpec.InsertOnly"/> columns (the old
    /// table of a revert window): inserts the current rows of a batch's keys (<c>@a{row}_{column}</c>)
    /// and, for keys already in the copy, updates only the mapped columns that are not insert-only.
    /// </summary>
    public virtual string UpsertRows(SwapSpec spec, int keys) =>
        throw new SwapException(SwapErrorKind.Refused, $"A revert window is not available on {Dialect.Engine.ProductName()}.");

    /// <summary>
    /// The applier's re-sync of keys whose rows are in the copy with every unique value the original
    /// now gives them (<c>@a{row}_{column}</c>): the current rows, updated in place over the copy's
    /// rows, leaving the columns in <paramref name="unchanged"/> (the key and unique columns) as they
    /// are. Null where the engine re-syncs by delete and insert only: an in-place update spares the
    /// indexes whose columns did not change (InnoDB's secondary indexes), where a delete and insert
    /// writes every index twice.
    /// </summary>
    public virtual string? ResyncInPlace(SwapSpec spec, int keys, IReadOnlySet<string> unchanged) => null;

    /// <summary>
    /// When a revert window opens: statements that stop the old table (<see cref="SwapNames.Old"/>)
    /// from holding the application back while it is kept (PostgreSQL: its own foreign keys, which
    /// would refuse deleting a parent row). The revert puts them back from <see cref="SwapSpec.TargetForeignKeys"/>.
    /// </summary>
    public virtual IReadOnlyList<string> DetachOld(SwapSpec spec) => [];

    /// <summary>True when the engine can verify a chunk with one FULL OUTER JOIN instead of two queries.</summary>
    public virtual bool FullOuterJoin => false;

    /// <summary>True when the copy's value equals the mapped original value (NULLs equal), as SQL.</summary>
    public abstract string SameValue(string original, string copy, ColumnMapping mapping);

    /// <summary>
    /// When a cut-over or capture gives up on its lock: the sessions that hold (or, where the engine
    /// cannot tell, may hold) <paramref name="tables"/>, one line each with what an operator needs
    /// to find and end them (pid or thread id, user, since when, statement), oldest first. Empty
    /// where the engine cannot tell.
    /// </summary>
    public virtual Task<IReadOnlyList<string>> LockHoldersAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>True while the capture triggers of the table and its change log are in place.</summary>
    public abstract Task<bool> CaptureInstalledAsync(DbConnection connection, DbTransaction? transaction, SwapSpec spec, CancellationToken cancellationToken);

    /// <summary>
    /// One attempt at the cut-over of all tables: atomic, under a lock wait bounded by
    /// <see cref="OnlineSwapOptions.CutOverLockTimeout"/>. Calls <paramref name="recordSwapped"/> with the cut-over's
    /// transaction where the engine has one, so the journal says "swapped" exactly when it happened.
    /// </summary>
    /// <remarks>
    /// Once the originals are write-locked the engine calls <paramref name="catchUp"/> with the
    /// connection and transaction holding the locks: it applies the rest of the change log, so the
    /// copies equal the originals when the names change.
    /// </remarks>
    public abstract Task CutOverAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<SwapSpec> specs, OnlineSwapOptions options, Func<DbConnection, DbTransaction?, CancellationToken, Task> catchUp, Func<DbTransaction?, Task> recordSwapped, CancellationToken cancellationToken);

    /// <summary>
    /// Queries (with the table's name as <c>@t</c>) whose results change whenever the table's
    /// definition does: its columns, indexes, constraints, the user's triggers, and where the engine
    /// keeps them with the table, its grants, comments and policies; not when only its rows or
    /// statistics change, nor for Swap's own capture. See <see cref="TableDefinition"/>. Empty where
    /// the engine has none.
    /// </summary>
    public virtual IReadOnlyList<string> DefinitionQueries(string table) => [];

    /// <summary>The text of <see cref="DefinitionQueries"/>' results without what changes with the rows (MySQL: the next AUTO_INCREMENT value).</summary>
    public virtual string NormalizeDefinition(string definition) => definition;

    /// <summary>The cut-over statements, for <c>plan</c>.</summary>
    public abstract IReadOnlyList<string> CutOverPlan(IReadOnlyList<SwapSpec> specs, OnlineSwapOptions options);

    /// <summary>True when an error of a cut-over attempt means "could not take the lock in time": retry later.</summary>
    public bool IsLockTimeout(Exception error) => Database.IsLockTimeout(error);

    /// <summary>After an interruption: did the cut-over of this table already happen?</summary>
    public abstract Task<bool> IsSwappedAsync(DbConnection connection, DbTransaction? transaction, SwapSpec spec, CancellationToken cancellationToken);

    /// <summary>Work after the swap that does not need the cut-over's locks (e.g. validating foreign keys).</summary>
    public virtual IReadOnlyList<string> AfterCutOver(SwapSpec spec) => [];

    /// <summary>Drops the original, now named <see cref="SwapNames.Old"/>.</summary>
    public abstract IReadOnlyList<string> DropOld(SwapSpec spec);

    /// <summary>Copies, old tables, triggers and functions of interrupted swaps.</summary>
    public abstract Task<IReadOnlyList<Leftover>> FindLeftoversAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The statements that remove one leftover. Never touches an original table.</summary>
    public abstract IReadOnlyList<string> Remove(Leftover leftover);

    /// <summary>
    /// Leftovers in an order that is safe while the application writes: triggers and capture
    /// functions before tables. A change log dropped while its trigger is still on the live table
    /// fails every application write to that table until the trigger goes.
    /// </summary>
    public static IEnumerable<Leftover> InRemovalOrder(IEnumerable<Leftover> leftovers) =>
        leftovers.OrderBy(l => l.Kind == "table" ? 1 : 0);

    /// <summary>Leftovers from catalog rows (kind, name), keeping only names Swap makes, each with what it is.</summary>
    protected static IReadOnlyList<Leftover> Leftovers(IEnumerable<(string Kind, string Name)> found) =>
        found.Where(f => SwapNames.IsSwapName(f.Name))
            .Select(f => new Leftover(f.Kind, f.Name, f.Kind switch
            {
                "trigger" when !SwapNames.IsReverseCaptureName(f.Name) => "a capture trigger of an interrupted swap",
                "function" when SwapNames.IsReverseCaptureName(f.Name) => "the reverse capture function (and its triggers) of a revert window",
                "function" => "capture function (and its triggers) of an interrupted swap",
                _ when SwapNames.IsReverseCaptureName(f.Name) => f.Kind == "trigger" ? "a reverse capture trigger of a revert window" : "the reverse change log of a revert window",
                _ when f.Name.EndsWith(SwapNames.Marker + "log", StringComparison.Ordinal) => "the change log of an interrupted swap",
                _ when f.Name.EndsWith(SwapNames.Marker + "old", StringComparison.Ordinal) => "the original of a swapped table, kept for rollback",
                _ => "a copy from an interrupted swap",
            }))
            .ToList();

    /// <summary>An expression that checks a value against the table's new unique index for duplicates (prefix indexes cut it).</summary>
    public virtual string IndexPart(string expression, int? prefix) => expression;

    /// <summary>Rows counted by a statement's affected-rows result (MySQL counts an upsert's update as two).</summary>
    public virtual long CopiedRows(int affected) => affected;
}
