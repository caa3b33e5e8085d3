using System.Data.Common;
using Microsoft.Extensions.Logging;
using Swap.Data;
using Swap.Dialects;

namespace Swap.Throttling;

/// <summary>
/// Writes the heartbeat row on the primary every <see cref="ThrottleOptions.HeartbeatInterval"/>
/// from its own connection while replicas are watched; each replica's copy of the row tells its
/// lag to within one interval.
/// </summary>
internal sealed class HeartbeatWriter : IAsyncDisposable
{
    private readonly SwapDatabase database;
    private readonly string table;
    private readonly TimeSpan interval;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop = new();
    private Task? loop;

    public HeartbeatWriter(SwapDatabase database, string table, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        this.database = database;
        this.table = table;
        this.interval = interval;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>Creates the table and writes the first beat (so a replica has a row to read once it catches up), then beats in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(database.Dialect.CreateHeartbeatTable(table), cancellationToken);
            await BeatAsync(connection, cancellationToken);
        }
        loop = Task.Run(() => RunAsync(stop.Token), CancellationToken.None);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        DbConnection? connection = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    connection ??= await database.OpenConnectionAsync(cancellationToken);
                    await BeatAsync(connection, cancellationToken);
                }
                catch (Exception e) when (database.IsDatabaseError(e) || e is SwapException)
                {
                    // A missed beat reads as lag on the replicas, which throttles: the safe side.
                    ControlLog.HeartbeatFailed(logger, e.Message);
                    if (connection is not null)
                        await connection.DisposeAsync();
                    connection = null;
                }
                await Task.Delay(interval, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
                await connection.DisposeAsync();
        }
    }

    private async Task BeatAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var q = database.Dialect.Quote(table);
        var beat = Heartbeat.Now(time);
        if (await connection.ExecuteAsync($"UPDATE {q} SET beat = @beat WHERE id = 1", new { beat }, null, cancellationToken) == 0)
            await connection.ExecuteAsync($"INSERT INTO {q} (id, beat) VALUES (1, @beat)", new { beat }, null, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (loop is not null)
            await loop;
        stop.Dispose();
    }
}
