using Swap.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// Runs one <c>up</c> while an <see cref="OracleWriter"/> writes to <c>items</c>, and checks that
/// the writer wrote during the copy and met no error: the shared shape of the swap tests of
/// tables as production has them (least privilege, generated columns, foreign keys).
/// </summary>
public static class WritesDuringSwap
{
    /// <param name="migrator">Makes the migrator from a configuration that watches the phase.</param>
    /// <param name="initial">The rows the table holds now; by default <see cref="EngineKit.InitialItems"/> of <paramref name="rows"/>.</param>
    /// <param name="writerRole">A PostgreSQL role the writer writes as (<see cref="OracleWriter.Role"/>).</param>
    public static async Task<(UpResult Result, OracleWriter Writer)> RunAsync(TestTarget target, int rows, Func<Action<MigratorOptions>, Migrator> migrator, int seed = 7, Dictionary<long, ItemRow>? initial = null, long idOffset = 0, string? writerRole = null)
    {
        var phase = SwapPhase.Preflight;
        var m = migrator(o => o.Swap.Progress = new Progress<SwapProgress>(p => phase = p.Phase));
        var writer = new OracleWriter(target, initial ?? EngineKit.InitialItems(rows), seed) { Watching = () => phase == SwapPhase.Copying, IdOffset = idOffset, Role = writerRole };
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(() => writer.RunAsync(stop.Token));
        while (writer.Acknowledged < 50 && !writing.IsCompleted)
            await Task.Delay(10);
        UpResult result;
        try
        {
            result = await m.UpAsync();
            await Task.Delay(200);
        }
        finally
        {
            stop.Cancel();
            await writing;
        }
        Assert.Empty(writer.Errors);
        if (target.Engine != DatabaseEngine.Sqlite)
            Assert.True(writer.DuringWatch > 0, "the writer must have written while rows were being copied, or this test proves nothing");
        return (result, writer);
    }
}
