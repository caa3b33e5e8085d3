using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using Swap.Connections;
using Swap.Discovery;
using Swap.IntegrationTests.Infrastructure;
using Swap.PostgreSql;
using Swap.PostgreSql.Internal;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// PostgreSQL builds the copy's indexes with CREATE INDEX CONCURRENTLY, which waits for every
/// older transaction of the database. An application's idle-in-transaction session holds the
/// swap there: Swap must say which session, keep the original intact, and finish once it ends.
/// </summary>
public class PostgresIndexBuildTests
{
    [Fact]
    public async Task An_index_build_held_by_an_open_transaction_names_it_and_finishes_when_it_ends()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 2_000);
        EngineKit.WriteSwapScript(target);

        // The application: a transaction left open on another table of the same database.
        await using var application = new NpgsqlConnection(PostgresConnectionString.From(TestServers.Postgres));
        await application.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", application);
        var pid = (int)(await command.ExecuteScalarAsync())!;
        var transaction = await application.BeginTransactionAsync();
        await new NpgsqlCommand("SELECT count(*) FROM pg_class", application, transaction).ExecuteScalarAsync();

        var logs = new CapturedLogs();
        var database = new PostgresDatabase(target.Url, logs);
        var options = new MigratorOptions();
        options.Sources.Add(MigrationSource.Folder(Path.Combine(target.Folder, "migrations")));
        var swap = new Migrator(database, options).UpAsync();

        var warning = await logs.WaitForAsync(m => m.Contains("building the copy's indexes waits until they end", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.NotNull(warning);
        // Tests running beside this one may hold older transactions, so look for the pid in the list, not as the oldest.
        var pids = warning[(warning.IndexOf("pids, oldest first: ", StringComparison.Ordinal) + "pids, oldest first: ".Length)..].TrimEnd(')').Split(", ");
        Assert.Contains(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), pids);

        // Held: the build has not finished, so nothing was swapped yet.
        await Task.Delay(500);
        Assert.False(swap.IsCompleted);
        Assert.DoesNotContain("flag", (await target.QueryAsync("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'items'")).Select(r => r.String("column_name")));

        await transaction.RollbackAsync();
        var result = await swap.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        var rows = await EngineKit.ReadItemsAsync(target);
        Assert.Equal(2_000, rows.Count);
        Assert.All(rows, r => Assert.Equal(EngineKit.Flag(r.K), r.Flag));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>Every log message, for tests that wait for one.</summary>
    private sealed class CapturedLogs : ILoggerFactory, ILogger
    {
        private readonly ConcurrentQueue<string> messages = new();

        public async Task<string?> WaitForAsync(Func<string, bool> match, TimeSpan timeout)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < timeout)
            {
                var found = messages.FirstOrDefault(match);
                if (found is not null)
                    return found;
                await Task.Delay(20);
            }
            return null;
        }

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}
