using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

public class PostgresSessionTests
{
    [Fact]
    public async Task A_finished_run_leaves_no_session_open_on_the_server()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        target.CreateTable("20261118000000_a", "a");
        var app = UniqueName.Next("app");
        var url = target.UrlText + "&application_name=" + app;

        var run = await SwapCli.RunRawAsync(target.Folder, ["--db", url, "up"]);
        var status = await SwapCli.RunRawAsync(target.Folder, ["--db", url, "status"]);

        Assert.Equal((0, 0), (run.ExitCode, status.ExitCode));
        Assert.Equal(0L, await target.ScalarAsync("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = @app", new { app }));
    }
}
