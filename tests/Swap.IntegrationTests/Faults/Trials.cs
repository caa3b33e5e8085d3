using Swap.IntegrationTests.Infrastructure;
using Swap.Scenarios.Faults;
using Xunit.Abstractions;

namespace Swap.IntegrationTests.Faults;

/// <summary>Runs one fault-harness trial and fails the test with the trial's whole account when it did not pass.</summary>
internal static class Trials
{
    public static async Task<TrialResult> RunAsync(TrialSpec spec, ITestOutputHelper output)
    {
        var result = await FaultTrial.RunAsync(spec, line => output.WriteLine(line));
        Assert.True(result.Passed, result.Describe());
        Assert.NotNull(result.Writes);
        // The oracle is only as strong as the writes it saw: the writer must have been busy before and after the swap.
        Assert.True(result.Writes!.Acknowledged >= 40, result.Describe());
        // Whatever a faulted run prints, it never prints the password it was given.
        if (TestServers.Password(spec.Engine) is { } password)
        {
            foreach (var run in result.Runs)
                Assert.DoesNotContain(password, run.Output, StringComparison.Ordinal);
        }
        return result;
    }
}
