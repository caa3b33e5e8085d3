
namespace Swap.Scenarios.Faults;

/// <summary>Which trials a run of the harness makes.</summary>
public static class FaultPlan
{
    /// <summary>
    /// Fault points the product's hook offers, the same on every engine. SQLite swaps tables from
    /// <see cref="Swap.Engine.OnlineSwapOptions.OneTransactionBelowRows"/> rows online like the
    /// servers (the full run's tables are larger); its copy gets its indexes at the writer's first
    /// write during the copy, so its <c>index</c> point falls inside the copy.
    /// </summary>
    public static IReadOnlyList<string> Points { get; } =
        ["step:1", "phase:copy-created", "capture:1", "phase:capture-installed", "chunk:1", "chunk-mid:1", "chunk:3", "chunk-mid:4", "apply-mid:1", "apply:2", "phase:copied", "index", "phase:indexed", "phase:verified", "cutover-catchup", "cutover", "phase:swapped", "phase:capture-removed", "phase:old-dropped"];

    /// <summary>
    /// The full run for one engine: every fault point once, <paramref name="randomKills"/> kills at
    /// seeded random moments (a few on a reserved-word and a unicode table), a quarter as many
    /// double kills (the resuming run killed too), each server-side fault, and a baseline.
    /// </summary>
    public static IEnumerable<TrialSpec> Full(DatabaseEngine engine, int randomKills, int seed, int rows)
    {
        var n = 0;
        TrialSpec Make(FaultKind fault, string? point = null, string table = "items") => new(engine, fault, seed + 1000 * (int)engine + n++, point, rows, table);

        yield return Make(FaultKind.None);
        foreach (var point in Points)
            yield return Make(FaultKind.KillAtPoint, point);
        for (var i = 0; i < randomKills; i++)
            yield return Make(FaultKind.KillAtRandom, table: (i % 10) switch { 3 => "order", 7 => "Überweisung", _ => "items" });
        for (var i = 0; i < Math.Max(1, randomKills / 4); i++)
            yield return Make(FaultKind.KillTwiceAtRandom);
        if (engine == DatabaseEngine.Sqlite)
        {
            // A long writer (the database's write lock) and a long reader at the cut-over, then a
            // writer that outlasts every attempt; a writer already in the way when the swap starts.
            // Below OneTransactionBelowRows SQLite swaps in one rebuild transaction: there is no
            // cut-over of its own to hold a lock at (the trials would hold the rebuild itself).
            if (rows >= new OnlineSwapOptions().OneTransactionBelowRows)
            {
                yield return Make(FaultKind.LockAtCutOverReleased);
                yield return Make(FaultKind.ReaderAtCutOver);
                yield return Make(FaultKind.LockAtCutOverHeld);
            }
            yield return Make(FaultKind.LockAtStart);
            foreach (var trial in KeyAndPairTrials(Make))
                yield return trial;
            yield break;
        }
        yield return Make(FaultKind.KillSessionMidChunk);
        yield return Make(FaultKind.KillSessionMidChunk);
        yield return Make(FaultKind.KillAllSessionsMidChunk);
        yield return Make(FaultKind.KillLockSessionMidCopy);
        yield return Make(FaultKind.KillSessionMidCutOver);
        yield return Make(FaultKind.KillSessionMidCutOver);
        yield return Make(FaultKind.RowLockDuringCopy);
        yield return Make(FaultKind.RestartMidCopy);
        yield return Make(FaultKind.CrashMidCopy);
        yield return Make(FaultKind.LockAtCutOverReleased);
        yield return Make(FaultKind.LockAtCutOverHeld);
        if (engine == DatabaseEngine.MySql)
            yield return Make(FaultKind.CopyHeldAtRename);
        // Tables as production has them: kills mid-copy and around the cut-over of a table with a
        // child's foreign key (MariaDB), of a conversion to a partitioned table (both), and of a
        // table partitioned already (PostgreSQL).
        (TableShape Shape, string[] Points)[] shapes = engine == DatabaseEngine.MySql
            ?
            [
                (TableShape.ForeignKeys, ["chunk-mid:1", "phase:indexed", "cutover-catchup", "cutover-rename", "cutover", "phase:capture-removed"]),
                (TableShape.Partitioned, ["chunk-mid:1", "phase:indexed", "cutover-catchup", "cutover-rename"]),
            ]
            :
            [
                (TableShape.Partitioned, ["chunk-mid:1", "phase:indexed", "cutover-catchup", "cutover", "phase:swapped"]),
                (TableShape.PartitionedSwap, ["chunk-mid:1", "phase:indexed", "cutover-catchup", "cutover", "phase:swapped"]),
            ];
        foreach (var (shape, points) in shapes)
        {
            foreach (var point in points)
                yield return Make(FaultKind.KillAtPoint, point) with { Shape = shape };
            yield return Make(FaultKind.KillAtRandom) with { Shape = shape };
        }
        foreach (var trial in KeyAndPairTrials(Make))
            yield return trial;
    }

    /// <summary>
    /// A composite-key table whose writer also moves rows between groups, a table keyed by a unique
    /// index instead of a primary key, and a migration that
    /// swaps two tables at once: kills mid-copy, after the index build, in the cut-over's catch-up
    /// and at the cut-over, and one at a random moment, on every engine.
    /// </summary>
    private static IEnumerable<TrialSpec> KeyAndPairTrials(Func<FaultKind, string?, string, TrialSpec> make)
    {
        foreach (var shape in new[] { TableShape.CompositeKey, TableShape.UniqueKey, TableShape.TwoTables })
        {
            foreach (var point in new[] { "chunk-mid:1", "phase:indexed", "cutover-catchup", "cutover" })
                yield return make(FaultKind.KillAtPoint, point, "items") with { Shape = shape };
            yield return make(FaultKind.KillAtRandom, null, "items") with { Shape = shape };
        }
    }
}
