using Polly.Retry;
using Swap.Running;

namespace Swap.Tests.Running;

public class RetriesTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(-3, 1)]
    [InlineData(2, 3)]
    public async Task A_count_of_retries_gives_that_many_attempts_after_the_first_and_zero_runs_once(int retries, int attempts)
    {
        var pipeline = Retries.Pipeline(TimeProvider.System, retries, new RetryStrategyOptions { Delay = TimeSpan.Zero, ShouldHandle = new Polly.PredicateBuilder().Handle<TimeoutException>() });
        var ran = 0;

        await Assert.ThrowsAsync<TimeoutException>(async () => await pipeline.ExecuteAsync(_ =>
        {
            ran++;
            throw new TimeoutException();
        }));

        Assert.Equal(attempts, ran);
    }
}
