using System.Data.Common;
using System.Diagnostics;
using System.Globalization;

namespace Swap.Scenarios.Faults;

/// <summary>A server session of a <c>swap</c> process, and what it is doing.</summary>
/// <param name="Id">PostgreSQL backend pid or MariaDB connection id.</param>
/// <param name="Query">The statement it runs (or ran last).</param>
/// <param name="WaitingForLock">True while it waits for a row or table lock.</param>
public sealed record SwapSession(long Id, string Query, bool WaitingForLock);

/// <summary>
/// Server-side view of Swap's connections on a target, and kills from the server side: MariaDB
/// <c>KILL</c>, PostgreSQL <c>pg_terminate_backend</c>. The harness's own sessions (writer,
/// probes, lock holders) are never listed, so they are never killed.
/// </summary>
public sealed class Sessions(FaultTarget target) : IAsyncDisposable
{
    private DbConnection? monitor;

    public async Task<List<SwapSession>> ListAsync(CancellationToken cancellationToken = default)
    {
        monitor ??= await target.OpenAsync(cancellationToken);
        if (target.Engine == DatabaseEngine.PostgreSql)
        {
            var rows = await Db.QueryAsync(
                monitor,
                "SELECT pid, coalesce(query, ''), coalesce(wait_event_type, '') = 'Lock' FROM pg_stat_activity WHERE application_name = @app AND pid <> pg_backend_pid()",
                cancellationToken,
                ("app", target.SwapApplication));
            return rows.Select(r => new SwapSession(Convert.ToInt64(r[0], CultureInfo.InvariantCulture), (string)r[1]!, (bool)r[2]!)).ToList();
        }
        if (target.Engine == DatabaseEngine.MySql)
        {
            var spared = target.HarnessConnectionIds.ToHashSet();
            var waiting = (await Db.QueryAsync(monitor, "SELECT trx_mysql_thread_id FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'", cancellationToken))
                .Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture)).ToHashSet();
            var rows = await Db.QueryAsync(
                monitor,
                "SELECT ID, COALESCE(INFO, ''), COALESCE(STATE, ''), CASE WHEN COMMAND = 'Query' THEN TIME_MS ELSE 0 END FROM information_schema.PROCESSLIST WHERE DB = @db AND ID <> CONNECTION_ID() AND COMMAND <> 'Daemon'",
                cancellationToken,
                ("db", target.Name));
            // INNODB_TRX does not always list a statement that waits for a row lock; a chunk statement
            // (normally tens of milliseconds) still running after 200 ms waits for the held row.
            return rows.Select(r => (Id: Convert.ToInt64(r[0], CultureInfo.InvariantCulture), Query: (string)r[1]!, State: (string)r[2]!, Ms: Convert.ToDouble(r[3], CultureInfo.InvariantCulture)))
                .Where(r => !spared.Contains(r.Id))
                .Select(r => new SwapSession(r.Id, r.Query, waiting.Contains(r.Id) || r.State.Contains("metadata lock", StringComparison.OrdinalIgnoreCase) || r.Ms >= 200))
                .ToList();
        }
        return [];
    }

    /// <summary>Polls until a Swap session matches; null when the process ends or time runs out first.</summary>
    public async Task<SwapSession?> WaitForAsync(Func<SwapSession, bool> match, SwapProcess process, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout && !process.Exited.IsCompleted)
        {
            var list = await ListAsync();
            if (Environment.GetEnvironmentVariable("SWAP_FAULT_DEBUG") is { Length: > 0 })
                Console.WriteLine($"{watch.ElapsedMilliseconds} ms: " + string.Join(" | ", list.Select(x => $"{x.Id} {x.WaitingForLock} {x.Query[..Math.Min(40, x.Query.Length)]}")));
            var found = list.FirstOrDefault(match);
            if (found is not null)
                return found;
            await Task.Delay(5);
        }
        return null;
    }

    /// <summary>Kills one session from the server side (the whole connection, not just its query).</summary>
    public async Task KillAsync(long id, CancellationToken cancellationToken = default)
    {
        monitor ??= await target.OpenAsync(cancellationToken);
        if (target.Engine == DatabaseEngine.PostgreSql)
            await Db.ScalarAsync(monitor, "SELECT pg_terminate_backend(@pid)", cancellationToken, ("pid", (int)id));
        else if (target.Engine == DatabaseEngine.MySql)
        {
            try
            {
                await Db.ExecAsync(monitor, "KILL CONNECTION " + id.ToString(CultureInfo.InvariantCulture), cancellationToken);
            }
            catch (DbException e) when (e.Message.Contains("Unknown thread", StringComparison.OrdinalIgnoreCase))
            {
                // It ended by itself meanwhile.
            }
        }
        else
            throw new InvalidOperationException("SQLite has no server sessions to kill.");
    }

    /// <summary>Kills every Swap session of the target (the run lock's included); returns how many.</summary>
    public async Task<int> KillAllAsync(CancellationToken cancellationToken = default)
    {
        var all = await ListAsync(cancellationToken);
        foreach (var s in all)
            await KillAsync(s.Id, cancellationToken);
        return all.Count;
    }

    public async ValueTask DisposeAsync()
    {
        if (monitor is not null)
            await monitor.DisposeAsync();
    }
}
