using System.Data.Common;
using System.Globalization;
using Swap.Engine;
using Swap.Scenarios.Online.Engines;

namespace Swap.Scenarios.Online.Contenders;

/// <summary>A point of Swap's change-log backlog: seconds since the contender started, rows in the log.</summary>
internal sealed record BacklogPoint(double T, long Rows);

/// <summary>
/// Watches Swap's change log (<c>_&lt;table&gt;_swap_log</c>) on a connection of its own: its rows
/// every ~100 ms, which is the backlog of captured writes the applier has not replayed yet.
/// Before capture is installed and after it is removed the table does not exist; those polls are
/// skipped. The session's lock waits are short so the probe never queues behind (or in front of)
/// Swap's own locks for long.
/// </summary>
internal sealed class ChangeLogBacklog : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly List<BacklogPoint> points = [];
    private readonly Poller poller;
    private DbConnection? connection;

    private ChangeLogBacklog(RunContext context, CancellationToken ct)
    {
        var engine = context.Engine;
        var log = SwapNames.For(context.Table.Name, engine.Name == "postgres" ? 63 : 64).Log;
        poller = new Poller(async token =>
        {
            connection ??= await OpenAsync(engine, context.Workspace, token);
            if (connection.State != System.Data.ConnectionState.Open)
            {
                await connection.DisposeAsync();
                connection = null;
                return;
            }
            try
            {
                // Swap's own measure (exact up to 10,000 rows, the ids' span beyond): a COUNT(*) of a long
                // log every 100 ms took a core from the applier it was measuring.
                var rows = await ChangeLogSize.RowsAsync(connection, engine.Quote, log, token);
                lock (points)
                    points.Add(new BacklogPoint(Math.Round(context.Now, 3), rows));
            }
            catch (DbException) when (connection.State != System.Data.ConnectionState.Open)
            {
                await connection.DisposeAsync();
                connection = null;
                throw;
            }
        }, Interval, ct);
    }

    /// <summary>Starts polling the workspace's change log (MariaDB and PostgreSQL; SQLite has none).</summary>
    public static ChangeLogBacklog? Start(RunContext context, CancellationToken ct) =>
        context.Engine.Name is "mariadb" or "postgres" ? new ChangeLogBacklog(context, ct) : null;

    public IReadOnlyList<BacklogPoint> Points
    {
        get
        {
            lock (points)
                return points.ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await poller.DisposeAsync();
        if (connection is not null)
            await connection.DisposeAsync();
    }

    private static async Task<DbConnection> OpenAsync(BenchEngine engine, string workspace, CancellationToken ct)
    {
        var c = await engine.OpenAsync(workspace, ct);
        await c.ExecAsync(engine.Name == "postgres" ? "SET lock_timeout = '100ms'" : "SET SESSION lock_wait_timeout = 1, SESSION innodb_lock_wait_timeout = 1", ct);
        return c;
    }
}
