using System.Globalization;
using Swap.Cli;
using Swap.Data;
using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Control;

/// <summary>
/// Replica-lag throttling on the real replicas the build starts (a MariaDB replica, a PostgreSQL
/// streaming standby): replay is stopped so the heartbeat falls behind, the swap throttles and says
/// which replica lags, replay resumes, the swap finishes equal to the oracle under a concurrent writer.
/// </summary>
public class ReplicaLagTests
{
    [Theory]
    [MemberData(nameof(OperatorKit.Online), MemberType = typeof(OperatorKit))]
    public async Task A_lagging_replica_throttles_the_swap_until_it_catches_up(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateReplicatedAsync(engine);
        await OperatorKit.ArrangeAsync(target);
        var replicaUrl = ReplicaUrl(target);
        var replica = Databases.Open(DatabaseUrl.Parse(replicaUrl));
        await using var replicaConnection = await WaitForReplicaAsync(replica, "SELECT COUNT(*) FROM items", OperatorKit.Rows);

        // Paused first, so the heartbeat is running and replicated before replay stops.
        await OperatorKit.Control(target).PauseAsync();
        using var runner = OperatorKit.StartUp(target, "--replica", replicaUrl, "--max-replica-lag", "300ms");
        await OperatorKit.WaitForAsync(target, runner, s => s.Paused && s.Phase == "Copying", "paused in the copy");
        await WaitForReplicaAsync(replica, "SELECT COUNT(*) FROM swap_heartbeat", 1);

        await StopReplayAsync(engine, replicaConnection);
        try
        {
            // The primary keeps beating; the replica's beat stays where replay stopped.
            await WaitUntilAsync(async () => await BeatAsync(target.OpenAsync) - await BeatAsync(() => replica.OpenConnectionAsync(default)) > 600_000, "the replica's heartbeat to fall behind");
            var writer = new OracleWriter(target, EngineKit.InitialItems(OperatorKit.Rows), seed: 15);
            using var stopWriter = new CancellationTokenSource();
            var writing = writer.RunAsync(stopWriter.Token);
            await OperatorKit.Control(target).ResumeAsync();
            var throttled = await OperatorKit.WaitForAsync(target, runner, s => s.Throttled, "throttled by replica lag");
            Assert.Matches(@"^replica .+ lags \d+\.\d{3} s > 300 ms$", throttled.ThrottleReason);
            var rowsWhileThrottled = throttled.Rows;

            await StartReplayAsync(engine, replicaConnection);
            Assert.Equal(0, await runner.WaitAsync(TimeSpan.FromMinutes(3)));
            await stopWriter.CancelAsync();
            await writing;
            Assert.Empty(writer.Errors);
            Assert.True(rowsWhileThrottled < OperatorKit.Rows, $"throttled only after the copy ({rowsWhileThrottled} rows)");
            OracleWriter.AssertMatches(writer.Oracle, writer.Inserted, await EngineKit.ReadItemsAsync(target));
        }
        finally
        {
            await StartReplayAsync(engine, replicaConnection);
        }
    }

    [Fact]
    public async Task A_replica_that_cannot_be_read_throttles_rather_than_being_ignored()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await OperatorKit.ArrangeAsync(target);
        var server = TestServers.Postgres;
        var unreachable = $"postgres://{server.User}:{server.Password}@127.0.0.1:{ClosedPort()}/{server.Database}?schema={target.Name}&connect_timeout=2";

        using var runner = OperatorKit.StartUp(target, "--replica", unreachable);
        var throttled = await OperatorKit.WaitForAsync(target, runner, s => s.Throttled, "throttled by the unreachable replica");
        Assert.Matches("^replica .+ cannot be read: ", throttled.ThrottleReason);
        Assert.Equal(0, throttled.Rows);

        Assert.Equal(0, (await ChildSwap.RunAsync(target, "abort")).ExitCode);
        Assert.Equal(10, await runner.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(EngineKit.InitialItems(OperatorKit.Rows).Values.OrderBy(r => r.Id).ToList(), await EngineKit.ReadItemsAsync(target, withFlag: false));
    }

    [Fact]
    public async Task A_replica_without_the_heartbeat_table_says_so_rather_than_quoting_the_server()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await OperatorKit.ArrangeAsync(target);
        // The standby, but a database the target's heartbeat never reaches (its 'postgres' database).
        var standby = Variable("SWAP_TEST_POSTGRES_STANDBY");
        var wrongDatabase = standby[..standby.LastIndexOf('/')] + "/postgres";

        using var runner = OperatorKit.StartUp(target, "--replica", wrongDatabase);
        var throttled = await OperatorKit.WaitForAsync(target, runner, s => s.Throttled, "throttled by the replica without a heartbeat");
        Assert.Matches(
            $"^replica postgres://swap:\\*\\*\\*@127\\.0\\.0\\.1:\\d+/postgres has no heartbeat table swap_heartbeat: check that its URL names the target's database and schema, and that it replicates them\\.$",
            throttled.ThrottleReason);

        Assert.Equal(0, (await ChildSwap.RunAsync(target, "abort")).ExitCode);
        Assert.Equal(10, await runner.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    [Theory]
    [InlineData(DatabaseEngine.MySql, "database")]
    [InlineData(DatabaseEngine.PostgreSql, "database")]
    [InlineData(DatabaseEngine.MySql, "password")]
    [InlineData(DatabaseEngine.PostgreSql, "password")]
    public async Task A_replica_url_that_can_never_work_is_a_usage_error_before_anything_is_copied(DatabaseEngine engine, string wrong)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await OperatorKit.ArrangeAsync(target);
        var url = ReplicaUrl(target);
        url = wrong == "database"
            ? (engine == DatabaseEngine.MySql ? url[..url.LastIndexOf('/')] + "/no_such_db" : url.Replace(url[(url.LastIndexOf('/') + 1)..url.IndexOf('?', StringComparison.Ordinal)], "no_such_db", StringComparison.Ordinal))
            : url.Replace($":{TestServers.Password(engine)}@", ":not-the-password@", StringComparison.Ordinal);

        using var runner = OperatorKit.StartUp(target, "--replica", url);

        Assert.Equal(2, await runner.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains(wrong == "database" ? "has no such database: a replica takes its databases from the primary" : "refused the user name or password of the --replica URL", runner.Output(), StringComparison.Ordinal);
        Assert.DoesNotContain("Create it", runner.Output(), StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal(EngineKit.InitialItems(OperatorKit.Rows).Values.OrderBy(r => r.Id).ToList(), await EngineKit.ReadItemsAsync(target, withFlag: false));
    }

    /// <summary>A loopback port nothing listens on.</summary>
    private static int ClosedPort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static string ReplicaUrl(TestTarget target) => target.Engine == DatabaseEngine.MySql
        ? $"{Variable("SWAP_TEST_MYSQL_REPLICA")}/{target.Name}"
        : $"{Variable("SWAP_TEST_POSTGRES_STANDBY")}?schema={target.Name}";

    private static string Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v
        ? v
        : throw new InvalidOperationException($"{name} is not set: the build's Databases target starts the replicas and writes it to servers.env.");

    private static Task StopReplayAsync(DatabaseEngine engine, System.Data.Common.DbConnection replica) =>
        replica.ExecuteAsync(engine == DatabaseEngine.MySql ? "STOP SLAVE SQL_THREAD" : "SELECT pg_wal_replay_pause()", default);

    private static Task StartReplayAsync(DatabaseEngine engine, System.Data.Common.DbConnection replica) =>
        replica.ExecuteAsync(engine == DatabaseEngine.MySql ? "START SLAVE SQL_THREAD" : "SELECT pg_wal_replay_resume()", default);

    private static async Task<long> BeatAsync(Func<Task<System.Data.Common.DbConnection>> open)
    {
        await using var c = await open();
        return Convert.ToInt64(await c.ScalarAsync("SELECT beat FROM swap_heartbeat WHERE id = 1", default), CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until the replica answers <paramref name="sql"/> with <paramref name="expected"/> (the table and rows were replicated); returns an open connection to it.</summary>
    private static async Task<System.Data.Common.DbConnection> WaitForReplicaAsync(SwapDatabase replica, string sql, long expected)
    {
        System.Data.Common.DbConnection? connection = null;
        string last = "";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                connection ??= await replica.OpenConnectionAsync(default);
                var got = Convert.ToInt64(await connection.ScalarAsync(sql, default), CultureInfo.InvariantCulture);
                if (got == expected)
                    return connection;
                last = $"{got} instead of {expected}";
            }
            catch (Exception e) when (e is System.Data.Common.DbException or SwapException)
            {
                last = e.Message;
                if (connection is not null)
                    await connection.DisposeAsync();
                connection = null;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"The replica did not answer '{sql}' with {expected} within 60 s: {last}");
        return null!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Timed out waiting for {what}");
            await Task.Delay(100);
        }
    }
}
