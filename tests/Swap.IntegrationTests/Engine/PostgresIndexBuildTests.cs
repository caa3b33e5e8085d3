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
        // Only transactions open for a second or more are reported (setup, not a timing assertion).
        await Task.Delay(1_100);

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
        var age = int.Parse(System.Text.RegularExpressions.Regex.Match(warning, @", open (-?\d+) s;").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(age >= 1, warning);

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

    [Fact]
    public async Task A_writer_committing_every_few_milliseconds_is_not_reported_as_holding_the_build()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 2_000);
        await target.ExecuteAsync("CREATE TABLE ticks (id SERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL DEFAULT now())");
        EngineKit.WriteSwapScript(target);

        await using var writer = new NpgsqlConnection(PostgresConnectionString.From(target.Url));
        await writer.OpenAsync();
        await using var pidCommand = new NpgsqlCommand("SELECT pg_backend_pid()", writer);
        var pid = ((int)(await pidCommand.ExecuteScalarAsync())!).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var stop = new CancellationTokenSource();
        var writes = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await using var tx = await writer.BeginTransactionAsync();
                await new NpgsqlCommand("INSERT INTO ticks DEFAULT VALUES", writer, tx).ExecuteNonQueryAsync();
                await Task.Delay(15);
                await tx.CommitAsync();
                await Task.Delay(5);
            }
        });

        var logs = new CapturedLogs();
        var options = new MigratorOptions();
        options.Sources.Add(MigrationSource.Folder(Path.Combine(target.Folder, "migrations")));
        await Task.Delay(1_100);
        var result = await new Migrator(new PostgresDatabase(target.Url, logs), options).UpAsync();
        await stop.CancelAsync();
        await writes;

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        Assert.True(await target.ScalarAsync("SELECT count(*) FROM ticks") is long n && n > 10);
        // Other tests may hold long transactions of their own; the writer is never among those named.
        var warning = await logs.WaitForAsync(m => m.Contains("building the copy's indexes waits until they end", StringComparison.Ordinal), TimeSpan.Zero);
        if (warning is not null)
        {
            var pids = warning[(warning.IndexOf("pids, oldest first: ", StringComparison.Ordinal) + "pids, oldest first: ".Length)..].TrimEnd(')').Split(", ");
            Assert.DoesNotContain(pid, pids);
        }
    }

    /// <summary>Every log message, for tests that wait for one.</summary>
    private sealed class CapturedLogs : ILoggerFactory, ILogger
    {
        private readonly ConcurrentQueue<string> messages = new();

        public async Task<string?> WaitForAsync(Func<string, bool> match, TimeSpan timeout)
        {
            var watch = Stopwatch.StartNew();
            do
            {
                var found = messages.FirstOrDefault(match);
                if (found is not null)
                    return found;
                await Task.Delay(20);
            }
            while (watch.Elapsed < timeout);
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
