using System.Diagnostics;

namespace Swap.Scenarios.Faults;

public static partial class FaultTrial
{
    private static bool IsChunk(SwapSession s) => s.WaitingForLock && s.Query.Contains("INSERT INTO", StringComparison.OrdinalIgnoreCase) && s.Query.Contains("_swap_new", StringComparison.Ordinal);

    private static bool IsCutOver(SwapSession s) => s.WaitingForLock && (s.Query.StartsWith("LOCK TABLE", StringComparison.OrdinalIgnoreCase) || s.Query.StartsWith("RENAME TABLE", StringComparison.OrdinalIgnoreCase));

    /// <summary>SIGKILL from inside at a named point.</summary>
    private static async Task KillAtPointAsync(Context c)
    {
        var point = c.Spec.Point ?? throw new ArgumentException("KillAtPoint needs a point.");
        var watch = Stopwatch.StartNew();
        using var process = c.Start(UpArgs, new Dictionary<string, string> { ["SWAP_FAULT_KILL_AT"] = point });
        var code = await c.FinishAsync(process, watch);
        c.Result.Where = point;
        c.Result.Landed = code == 137 && process.Stderr.Contains("fault injection: SIGKILL at " + point, StringComparison.Ordinal);
        c.Expect(code, 137, 0);
    }

    /// <summary>kill -9 from outside: a seeded random anchor (a progress line, or launch), then a seeded random delay.</summary>
    private static async Task KillAtRandomAsync(Context c)
    {
        var anchor = Anchors[c.Random.Next(Anchors.Length)];
        var delay = anchor switch
        {
            "start" => c.Random.Next(0, 3000),
            "copying" => c.Random.Next(0, 250),
            _ => c.Random.Next(0, 40),
        };
        var watch = Stopwatch.StartNew();
        await using var probe = new JournalProbe(c.Target, ItemsTable.ScriptId);
        using var process = c.Start(UpArgs);
        if (anchor != "start")
            await process.WaitForLineAsync(l => PhaseBegins(l, anchor), WaitTimeout);
        await Task.WhenAny(process.Exited, Task.Delay(delay));
        process.Kill();
        var code = await c.FinishAsync(process, watch);
        c.Result.Landed = process.Killed && code == 137;
        var journal = c.Target.Engine == DatabaseEngine.Sqlite ? null : await probe.ReadAsync();
        var progress = process.Lines.LastOrDefault(l => l.StartsWith("swap ", StringComparison.Ordinal) && l.Contains(": ", StringComparison.Ordinal));
        var phase = !c.Result.Landed ? "after completion"
            : journal is not null ? journal.Current
            : progress is not null ? progress[(progress.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split(' ')[0] switch
            {
                "checking" => "checking",
                "creating" => "creating the copy",
                "installing" => "installing capture",
                "copying" => "copying",
                "building" => "building indexes",
                "verifying" => "verifying",
                "cutting" => "cutting over",
                "removing" => "removing capture",
                "dropping" => "dropping the old table",
                "done" => "recording the script",
                // A line that ends a phase: the next one was under way.
                "checked" => "creating the copy",
                "created" => "installing capture",
                "installed" => "copying",
                "copied" => "building indexes",
                "built" => "verifying",
                "verified" => "cutting over",
                "cut" => "removing capture",
                "removed" => "dropping the old table",
                "dropped" => "recording the script",
                var other => other,
            }
            : "startup";
        c.Result.Where = $"{phase} (aimed at '{anchor}' +{delay} ms)";
    }

    /// <summary>
    /// Whether an output line shows that the phase <paramref name="anchor"/> has begun. Piped, the
    /// <c>swap</c> command prints no line when a phase starts, only when one ends
    /// (<c>swap items: installed capture in 0.1 s</c>) and, while copying or verifying, every few
    /// seconds; so a phase has begun when the one before it says it ended. The phase's own line
    /// (a terminal's, or a copy's progress line) counts too.
    /// </summary>
    private static bool PhaseBegins(string line, string anchor)
    {
        if (!line.StartsWith("swap ", StringComparison.Ordinal))
            return anchor == "checking" && line.Contains("Applying " + ItemsTable.ScriptId, StringComparison.Ordinal);
        var ended = anchor switch
        {
            "creating the copy" => ": checked in ",
            "installing capture" => ": created the copy in ",
            "copying" => ": installed capture in ",
            "building indexes" => ": copied ",
            "verifying" => ": built indexes on the copy in ",
            "cutting over" => ": verified ",
            "removing capture" => ": cut over in ",
            "dropping the old table" => ": removed capture in ",
            _ => null,
        };
        return line.Contains(": " + anchor, StringComparison.Ordinal) || (ended is not null && line.Contains(ended, StringComparison.Ordinal));
    }

    /// <summary>A random kill, then another of the run that resumes it: right after it says where it resumes, plus a seeded delay.</summary>
    private static async Task KillTwiceAtRandomAsync(Context c)
    {
        await KillAtRandomAsync(c);
        if (!c.Result.Landed)
            return;
        var first = c.Result.Where;
        var delay = c.Random.Next(0, 400);
        var watch = Stopwatch.StartNew();
        using var process = c.Start(UpArgs);
        await process.WaitForLineAsync(l => l.Contains("Applying " + ItemsTable.ScriptId, StringComparison.Ordinal), WaitTimeout);
        await Task.WhenAny(process.Exited, Task.Delay(delay));
        process.Kill();
        var code = await c.FinishAsync(process, watch);
        c.Result.Landed = code == 137;
        c.Result.Where = $"{first}, then the resuming run +{delay} ms{(c.Result.Landed ? "" : " (it had finished)")}";
    }

    /// <summary>
    /// Holds the copy at the pinned row (near the end of the key range; the writer never touches
    /// it): on PostgreSQL from before the start; on MariaDB from the moment capture is installed
    /// (the swap pauses there until the row is locked), because there any open transaction on the
    /// table would block the creation of the capture triggers.
    /// </summary>
    private sealed class CopyHold(Context c, TableLocker row) : IAsyncDisposable
    {
        // The copy exists (and is empty) once capture is installed: hold one of its keys then.
        private readonly FaultPause pause = new("phase:capture-installed");

        public IReadOnlyDictionary<string, string>? Environment => pause.Environment;

        public static Task<CopyHold> CreateAsync(Context c, TableLocker row) => Task.FromResult(new CopyHold(c, row));

        /// <summary>After the start: holds the pinned key of the copy while the swap pauses. False when the run ended before that.</summary>
        public async Task<bool> EngageAsync(SwapProcess process)
        {
            var paused = await pause.WaitAsync(process);
            if (paused)
                await row.HoldCopyKeyAsync(c.Table.Name, c.Pinned);
            pause.Resume();
            return paused;
        }

        public ValueTask DisposeAsync() => pause.DisposeAsync();
    }

    /// <summary>The server kills Swap's connection (or all of them) while a chunk waits on a locked row inside its transaction.</summary>
    private static async Task KillSessionMidChunkAsync(Context c)
    {
        var all = c.Spec.Fault == FaultKind.KillAllSessionsMidChunk;
        await using var sessions = new Sessions(c.Target);
        await using var probe = new JournalProbe(c.Target, ItemsTable.ScriptId);
        await using var row = await TableLocker.OpenAsync(c.Target);
        await using var hold = await CopyHold.CreateAsync(c, row);
        var watch = Stopwatch.StartNew();
        using var process = c.Start(UpArgs, hold.Environment);
        var held = await hold.EngageAsync(process);
        var chunk = held ? await sessions.WaitForAsync(IsChunk, process, WaitTimeout) : null;
        if (chunk is null)
        {
            c.Result.Problems.Add("no chunk ever waited on the locked row, so the fault was not injected");
            c.Result.Landed = false;
        }
        else
        {
            var state = await probe.ReadAsync();
            var killed = 1;
            if (all)
                killed = await sessions.KillAllAsync();
            else
                await sessions.KillAsync(chunk.Id);
            c.Result.Where = $"mid-chunk ({state?.Copied ?? 0} rows copied; {killed} session(s) killed)";
        }
        await row.ReleaseAsync();
        var code = await c.FinishAsync(process, watch);
        // Losing the chunk's connection is transient: Swap reconnects and resumes by itself. Losing
        // the run lock's connection too means another runner may have started: Swap must stop.
        if (all)
            c.Expect(code, 0, 3);
        else
            c.Expect(code, 0);
    }

    /// <summary>
    /// The server kills the run lock's session while a chunk waits on a held row; a second runner
    /// starts at once and takes the free lock. Two runners must never swap at once: the first
    /// stops (exit 3) and the second finishes.
    /// </summary>
    private static async Task KillLockSessionMidCopyAsync(Context c)
    {
        await using var sessions = new Sessions(c.Target);
        await using var row = await TableLocker.OpenAsync(c.Target);
        await using var hold = await CopyHold.CreateAsync(c, row);
        var watch = Stopwatch.StartNew();
        using var first = c.Start(UpArgs, hold.Environment);
        var chunk = await hold.EngageAsync(first) ? await sessions.WaitForAsync(IsChunk, first, WaitTimeout) : null;
        var others = chunk is null ? [] : (await sessions.ListAsync()).Where(s => s.Id != chunk.Id).ToList();
        if (chunk is null || others.Count == 0)
        {
            c.Result.Problems.Add($"expected a waiting chunk and the run lock's session, found {(chunk is null ? "no chunk" : "no other session")}");
            c.Result.Landed = false;
            await row.ReleaseAsync();
            await c.FinishAsync(first, watch);
            return;
        }
        // Every session but the chunk's: the run lock's, and any idle one the driver keeps.
        foreach (var other in others)
            await sessions.KillAsync(other.Id);
        c.Result.Where = "mid-copy (the run lock's session killed, a second runner started)";
        var secondWatch = Stopwatch.StartNew();
        using var second = c.Start(UpArgs);
        await second.WaitForLineAsync(l => l.Contains("Applying " + ItemsTable.ScriptId, StringComparison.Ordinal), WaitTimeout);
        await row.ReleaseAsync();
        var firstCode = await c.FinishAsync(first, watch);
        var secondCode = await c.FinishAsync(second, secondWatch);
        c.Expect(firstCode, 3);
        if (!first.Stderr.Contains("lock", StringComparison.OrdinalIgnoreCase))
            c.Result.Problems.Add("the first runner did not say it lost the run lock");
        if (secondCode != 0)
            c.Result.Problems.Add($"the second runner exited with {secondCode}");
    }

    /// <summary>The server kills Swap's connection while the cut-over waits for its lock behind a long transaction.</summary>
    private static async Task KillSessionMidCutOverAsync(Context c)
    {
        await using var sessions = new Sessions(c.Target);
        await using var table = await TableLocker.OpenAsync(c.Target);
        var watch = Stopwatch.StartNew();
        await using var pause = FaultPause.BeforeCutOver();
        using var process = c.Start([.. UpArgs, "--cut-over-lock-wait", "10s"], pause.Environment);
        if (await pause.WaitAsync(process))
            await table.LockTableAsync(c.Table.Name);
        pause.Resume();
        var cutOver = await sessions.WaitForAsync(IsCutOver, process, WaitTimeout);
        if (cutOver is null)
        {
            c.Result.Problems.Add("the cut-over never waited for its lock, so the fault was not injected");
            c.Result.Landed = false;
        }
        else
        {
            await sessions.KillAsync(cutOver.Id);
            c.Result.Where = "mid-cut-over (waiting for the table lock)";
        }
        await table.ReleaseAsync();
        c.Expect(await c.FinishAsync(process, watch), 0);
    }

    /// <summary>
    /// Stops a swap at a fault point (<c>SWAP_FAULT_PAUSE_AT</c>) until <see cref="Resume"/>, so a
    /// fault can be set up at that exact moment. Before the cut-over, it lets a long transaction be
    /// in place there and nowhere before: holding one from the start would also hold PostgreSQL's
    /// <c>CREATE INDEX CONCURRENTLY</c> on the copy, which waits for every older transaction of the
    /// database to end.
    /// </summary>
    private sealed class FaultPause(string point) : IAsyncDisposable
    {
        private readonly string file = Path.Combine(Path.GetTempPath(), $"swap-fault-resume-{Guid.NewGuid():N}");

        /// <summary>Right after the verification, before the cut-over.</summary>
        public static FaultPause BeforeCutOver() => new("phase:verified");

        public Dictionary<string, string> Environment => new() { ["SWAP_FAULT_PAUSE_AT"] = point, ["SWAP_FAULT_RESUME_FILE"] = file };

        /// <summary>True once the process says it paused; false when it ended or never got there.</summary>
        public Task<bool> WaitAsync(SwapProcess process) =>
            process.WaitForLineAsync(l => l.Contains("fault injection: paused at " + point, StringComparison.Ordinal), WaitTimeout);

        public void Resume() => File.WriteAllText(file, "");

        public ValueTask DisposeAsync()
        {
            File.Delete(file);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The database server restarts (cleanly or by crashing) while a chunk waits inside its transaction.</summary>
    private static async Task RestartMidCopyAsync(Context c)
    {
        var crash = c.Spec.Fault == FaultKind.CrashMidCopy;
        await using var probe = new JournalProbe(c.Target, ItemsTable.ScriptId);
        await using var row = await TableLocker.OpenAsync(c.Target);
        await using var hold = await CopyHold.CreateAsync(c, row);
        var watch = Stopwatch.StartNew();
        using var process = c.Start(UpArgs, hold.Environment);
        SwapSession? chunk = null;
        if (await hold.EngageAsync(process))
        {
            await using var sessions = new Sessions(c.Target);
            chunk = await sessions.WaitForAsync(IsChunk, process, WaitTimeout);
        }
        if (chunk is null)
        {
            c.Result.Problems.Add("no chunk ever waited on the locked row, so the server was not restarted");
            c.Result.Landed = false;
        }
        else
        {
            var state = await probe.ReadAsync();
            await ServerControl.RestartAsync(c.Spec.Engine, crash, c.Log);
            c.Result.Where = $"mid-copy ({state?.Copied ?? 0} rows copied; {(crash ? "crash" : "clean restart")})";
        }
        await row.ReleaseAsync();
        // The run lock's session is gone with the server: Swap stops (exit 3, or 5 while the server
        // is still away), or finishes if it got through; the next 'swap up' must finish.
        c.Expect(await c.FinishAsync(process, watch), 0, 3, 5);
    }

    /// <summary>
    /// An application transaction holds a row the copy needs for a seeded 2 to 4 seconds. The run
    /// finishes by itself; the writer's longest write shows how long the application waited
    /// behind the rows the waiting chunk had already locked.
    /// </summary>
    private static async Task RowLockDuringCopyAsync(Context c)
    {
        var holdMs = c.Random.Next(2000, 4000);
        await using var sessions = new Sessions(c.Target);
        await using var row = await TableLocker.OpenAsync(c.Target);
        await using var hold = await CopyHold.CreateAsync(c, row);
        var watch = Stopwatch.StartNew();
        using var process = c.Start(UpArgs, hold.Environment);
        var chunk = await hold.EngageAsync(process) ? await sessions.WaitForAsync(IsChunk, process, WaitTimeout) : null;
        if (chunk is null)
        {
            c.Result.Problems.Add("no chunk ever waited on the locked row");
            c.Result.Landed = false;
        }
        else
        {
            await Task.WhenAny(process.Exited, Task.Delay(holdMs));
            c.Result.Where = $"mid-copy (row held {holdMs} ms)";
        }
        await row.ReleaseAsync();
        c.Expect(await c.FinishAsync(process, watch), 0);
    }

    /// <summary>SQLite in WAL mode (<c>--sqlite-wal</c>): a reader keeps its snapshot and is in nobody's way, so the cut-over must not wait for it.</summary>
    private static bool ReaderInNobodysWay(Context c) =>
        c.Spec.Fault == FaultKind.ReaderAtCutOver && c.Target.Engine == DatabaseEngine.Sqlite && FaultEnvironment.SqliteWal;

    /// <summary>A long transaction holds the table when the cut-over comes; released after the first failed attempt, or never.</summary>
    private static async Task LockAtCutOverAsync(Context c)
    {
        var held = c.Spec.Fault == FaultKind.LockAtCutOverHeld;
        await using var table = await TableLocker.OpenAsync(c.Target);
        var watch = Stopwatch.StartNew();
        string[] args = [.. UpArgs, "--cut-over-lock-wait", held ? "200ms" : "300ms", "--cut-over-retries", held ? "2" : "6"];
        await using var pause = FaultPause.BeforeCutOver();
        using var process = c.Start(args, pause.Environment);
        var locked = await pause.WaitAsync(process);
        var reader = c.Spec.Fault == FaultKind.ReaderAtCutOver;
        if (locked && reader)
            await table.ReadTableAsync(c.Table.Name);
        else if (locked)
            await table.LockTableAsync(c.Table.Name);
        pause.Resume();
        c.Result.Where = ReaderInNobodysWay(c) ? "cut-over (a reader, in WAL mode in nobody's way)"
            : (reader ? "cut-over (a reader's " : "cut-over (") + (held ? "lock held through every attempt)" : "lock released after a failed attempt)");
        if (!locked)
        {
            c.Result.Problems.Add("the swap never paused before its cut-over, so no lock was held at it");
            c.Result.Landed = false;
        }
        else if (!held && !ReaderInNobodysWay(c))
        {
            if (!await process.WaitForLineAsync(l => l.Contains("could not take its locks", StringComparison.Ordinal), WaitTimeout))
                c.Result.Problems.Add("the cut-over never reported waiting for the held lock");
            await table.ReleaseAsync();
        }
        var code = await c.FinishAsync(process, watch);
        await table.ReleaseAsync();
        if (locked && ReaderInNobodysWay(c) && c.Result.Runs[^1].Output.Contains("could not take its locks", StringComparison.Ordinal))
            c.Result.Problems.Add("in WAL mode a reader held up the cut-over, which it must not (it keeps its snapshot)");
        if (!held)
        {
            c.Expect(code, 0);
            return;
        }
        c.Expect(code, 9);
        var message = c.Result.Runs[^1].Output;
        if (!message.Contains("could not take its locks in 3 attempt(s)", StringComparison.Ordinal) || !message.Contains("The original is in place", StringComparison.Ordinal))
            c.Result.Problems.Add("the cut-over timeout did not say what happened and what to do");
        // The original is untouched and capture keeps the copy current for the next attempt.
        if ((await TargetChecks.ColumnsAsync(c.Target, c.Table.Name)).Contains("grp_label"))
            c.Result.Problems.Add("after a failed cut-over the live table already has the new column");
        if (await TargetChecks.CaptureTriggersAsync(c.Target, c.Table.Name) == 0)
            c.Result.Problems.Add("after a failed cut-over capture is gone, so the copy goes stale");
    }

    /// <summary>
    /// MySQL/MariaDB: the cut-over pauses with the originals locked and the change log applied,
    /// right before its RENAME; a session of the "application" then holds a shared metadata lock on
    /// the copy (a read in an open transaction, as InnoDB's purge takes one) for a seeded 3.5 to
    /// 4.5 s. The RENAME waits for the copy first, so it is never queued for the original within the
    /// first attempt's hand-over limit (three times the 1 s lock wait): that attempt must stop the
    /// RENAME before it lets the original go, and a later one swaps once the copy is free. The writer
    /// keeps writing throughout; the result must equal the oracle (a write let into the original
    /// before the RENAME queued for it is lost).
    /// </summary>
    private static async Task CopyHeldAtRenameAsync(Context c)
    {
        var holdMs = c.Random.Next(3500, 4500);
        await using var copy = await TableLocker.OpenAsync(c.Target);
        var watch = Stopwatch.StartNew();
        await using var pause = new FaultPause("cutover-rename");
        using var process = c.Start([.. UpArgs, "--cut-over-lock-wait", "1s", "--cut-over-retries", "6"], pause.Environment);
        var paused = await pause.WaitAsync(process);
        if (paused)
            await copy.LockTableAsync(Swap.Engine.SwapNames.For(c.Table.Name, 64).Copy);
        pause.Resume();
        if (paused)
            await Task.WhenAny(process.Exited, Task.Delay(holdMs));
        await copy.ReleaseAsync();
        c.Result.Where = paused ? $"cut-over (copy held {holdMs} ms when the RENAME was issued)" : "never paused before the RENAME";
        if (!paused)
        {
            c.Result.Problems.Add("the swap never paused before its RENAME, so the copy was not held");
            c.Result.Landed = false;
        }
        c.Expect(await c.FinishAsync(process, watch), 0);
        if (paused && !c.Result.Runs[^1].Output.Contains("could not take its locks; attempt", StringComparison.Ordinal))
            c.Result.Problems.Add("the first cut-over attempt did not give up on the RENAME that never queued for the original");
    }

    /// <summary>SQLite: another connection holds the write lock when the swap starts (a long writer), and lets go after a seeded delay.</summary>
    private static async Task LockSqliteAsync(Context c)
    {
        var delay = c.Random.Next(500, 2500);
        var watch = Stopwatch.StartNew();
        await using var holder = await TableLocker.TableAsync(c.Target, c.Table.Name);
        using var process = c.Start(UpArgs);
        await Task.WhenAny(process.Exited, Task.Delay(delay));
        var waited = !process.Exited.IsCompleted;
        await holder.ReleaseAsync();
        c.Expect(await c.FinishAsync(process, watch), 0);
        c.Result.Where = $"start (write lock held {delay} ms{(waited ? "" : ", but the run ended first")})";
        c.Result.Landed = waited;
    }
}
