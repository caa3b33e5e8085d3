namespace Swap.IntegrationTests.Infrastructure;

/// <summary>Names that no other test uses, so tests can run in parallel on one server.</summary>
public static class UniqueName
{
    private static int counter;

    public static string Next(string prefix = "t") =>
        $"{prefix}_{Environment.ProcessId % 10000}_{Interlocked.Increment(ref counter)}_{Guid.NewGuid().ToString("N")[..6]}";
}
