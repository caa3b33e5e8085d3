
namespace Swap.Scenarios.Faults;

/// <summary>The faults the harness injects into a copy-and-swap under load.</summary>
public enum FaultKind
{
    /// <summary>No fault: the baseline run under the same writer.</summary>
    None,

    /// <summary>SIGKILL from inside at a named point (<c>SWAP_FAULT_KILL_AT</c>), then <c>swap up</c>.</summary>
    KillAtPoint,

    /// <summary><c>kill -9</c> from outside at a seeded random moment (a random phase, then a random delay), then <c>swap up</c>.</summary>
    KillAtRandom,

    /// <summary>Two <c>kill -9</c> at seeded random moments: the run, then the run that resumes it; then <c>swap up</c>.</summary>
    KillTwiceAtRandom,

    /// <summary>The server kills Swap's connection while a chunk waits inside its transaction; Swap retries by itself.</summary>
    KillSessionMidChunk,

    /// <summary>The server kills every connection of Swap (the run lock's too) mid-chunk.</summary>
    KillAllSessionsMidChunk,

    /// <summary>
    /// The server kills only the run lock's connection mid-copy (an idle-session timeout does
    /// this), and a second <c>swap up</c> starts at once: the first must stop, the second finish.
    /// </summary>
    KillLockSessionMidCopy,

    /// <summary>The server kills Swap's connection while the cut-over waits for its lock; Swap retries by itself.</summary>
    KillSessionMidCutOver,

    /// <summary>A clean restart of the database server while a chunk is being copied.</summary>
    RestartMidCopy,

    /// <summary>A crash of the database server (SIGKILL / immediate shutdown) while a chunk is being copied.</summary>
    CrashMidCopy,

    /// <summary>An application transaction holds a row the copy needs for a few seconds; the copy waits or retries and finishes by itself.</summary>
    RowLockDuringCopy,

    /// <summary>A long transaction holds the table at cut-over time and ends while the cut-over retries: Swap finishes by itself.</summary>
    LockAtCutOverReleased,

    /// <summary>A long transaction holds the table through every cut-over attempt: exit 9 with the original in place, then <c>swap up</c>.</summary>
    LockAtCutOverHeld,

    /// <summary>
    /// MySQL/MariaDB: when the cut-over issues its RENAME, another session holds a shared metadata
    /// lock on the copy for a seeded 3.5 to 4.5 s (longer than one attempt may wait), as InnoDB's
    /// purge and statistics threads do on a table just written. The RENAME waits there before it
    /// queues for the original; the original must stay locked until it does (or the application's
    /// writes land in it after the catch-up), and an attempt that gives up must stop the RENAME first.
    /// </summary>
    CopyHeldAtRename,

    /// <summary>
    /// SQLite: a long read transaction is open at the cut-over and ends while the cut-over retries.
    /// In rollback-journal mode (the harness's) its shared lock keeps the cut-over from committing;
    /// in WAL mode it would not be in the way.
    /// </summary>
    ReaderAtCutOver,

    /// <summary>SQLite: another connection holds the write lock when the swap starts, and lets go after a seeded delay.</summary>
    LockAtStart,
}

/// <summary>What the trial's table is like besides its rows.</summary>
public enum TableShape
{
    /// <summary>A plain table.</summary>
    Plain,

    /// <summary>MySQL/MariaDB: a child table's foreign key (ON DELETE/UPDATE CASCADE) points at it.</summary>
    ForeignKeys,

    /// <summary>PostgreSQL, MySQL/MariaDB: the migration converts it into a table partitioned by range of <c>grp</c> (<c>PartitionBy</c>).</summary>
    Partitioned,

    /// <summary>
    /// PostgreSQL: the table is partitioned already, by range of <c>grp</c> (<c>&lt;table&gt;_low</c>,
    /// <c>&lt;table&gt;_high</c>), with the key <c>(id, grp)</c>; the migration is the plain one, and
    /// the copy is partitioned the same way.
    /// </summary>
    PartitionedSwap,

    /// <summary>
    /// The primary key is <c>(grp, id)</c>: chunks walk a two-column key, and the writer also moves
    /// rows to another <c>grp</c> (a key column), so a row can jump between copied and uncopied ranges.
    /// </summary>
    CompositeKey,

    /// <summary>
    /// No primary key: the table is keyed by a unique index over <c>id</c> (NOT NULL), which
    /// chunks, capture and the applier walk instead (PostgreSQL builds it first on the bare copy;
    /// MariaDB and SQLite keep it on the empty copy).
    /// </summary>
    UniqueKey,

    /// <summary>
    /// One migration swaps two tables at once (<c>UseTableForAlterAsync</c> on both, one
    /// <c>DoneUsingTablesAsync</c>): the table and <c>&lt;table&gt;_b</c>, the writer writing both.
    /// </summary>
    TwoTables,
}

/// <summary>One trial: an engine, a fault, a seed.</summary>
/// <param name="Point">For <see cref="FaultKind.KillAtPoint"/>: the fault point (<c>phase:copied</c>, <c>chunk:3</c>, <c>cutover</c>...).</param>
/// <param name="Rows">Rows in the table before the trial.</param>
/// <param name="Table">The table's name (a reserved word or unicode name works the same).</param>
/// <param name="Shape">Foreign keys or a partition conversion around the plain swap.</param>
public sealed record TrialSpec(DatabaseEngine Engine, FaultKind Fault, int Seed, string? Point = null, int Rows = 8_000, string Table = "items", TableShape Shape = TableShape.Plain)
{
    public override string ToString() => $"{Engine} {Fault}{(Point is null ? "" : " " + Point)}{(Shape == TableShape.Plain ? "" : " " + Shape)} seed {Seed}";

    /// <summary>Whether the fault applies to the engine (server-side faults need a server).</summary>
    public static bool Applies(DatabaseEngine engine, FaultKind fault) =>
        engine == DatabaseEngine.Sqlite
            ? fault is FaultKind.None or FaultKind.KillAtPoint or FaultKind.KillAtRandom or FaultKind.KillTwiceAtRandom or FaultKind.LockAtCutOverReleased or FaultKind.LockAtCutOverHeld or FaultKind.ReaderAtCutOver or FaultKind.LockAtStart
            : fault is not (FaultKind.ReaderAtCutOver or FaultKind.LockAtStart) && (fault != FaultKind.CopyHeldAtRename || engine == DatabaseEngine.MySql);
}
