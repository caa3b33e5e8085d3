using Npgsql;
using Swap.IntegrationTests.Infrastructure;
using Swap.PostgreSql.Internal;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// PostgreSQL builds the copy's indexes with plain CREATE INDEX: nobody but the applier writes
/// the copy, and it pauses meanwhile. Unlike CREATE INDEX CONCURRENTLY, the build does not wait
/// for older transactions, so an application's idle-in-transaction session does not hold the swap.
/// </summary>
public class PostgresIndexBuildTests
{
    [Fact]
    public async Task An_open_transaction_elsewhere_does_not_hold_the_index_build()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 2_000);
        EngineKit.WriteSwapScript(target);

        // The application: a transaction left open on another table of the same database.
        await using var application = new NpgsqlConnection(PostgresConnectionString.From(TestServers.Postgres));
        await application.OpenAsync();
        await using var transaction = await application.BeginTransactionAsync();
        await new NpgsqlCommand("SELECT count(*) FROM pg_class", application, transaction).ExecuteScalarAsync();

        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        var rows = await EngineKit.ReadItemsAsync(target);
        Assert.Equal(2_000, rows.Count);
        Assert.All(rows, r => Assert.Equal(EngineKit.Flag(r.K), r.Flag));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        // Still open: the swap finished around it.
        Assert.Equal(1L, await new NpgsqlCommand("SELECT 1::bigint", application, transaction).ExecuteScalarAsync());
        await transaction.RollbackAsync();
    }
}
