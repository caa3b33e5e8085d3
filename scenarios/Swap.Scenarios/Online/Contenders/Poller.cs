namespace Swap.Scenarios.Online.Contenders;

/// <summary>Runs a progress probe every interval until disposed; a failing probe is ignored (progress is a nicety).</summary>
internal sealed class Poller : IAsyncDisposable
{
    private readonly CancellationTokenSource stop;
    private readonly Task loop;

    public Poller(Func<CancellationToken, Task> probe, TimeSpan interval, CancellationToken ct)
    {
        stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await probe(stop.Token);
                    await Task.Delay(interval, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (System.Data.Common.DbException)
                {
                    await Task.Delay(interval, CancellationToken.None);
                }
            }
        }, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }
}
