namespace Swap.Locking;

/// <summary>Who is running: user, host and process, for the lock and the history's "applied by".</summary>
internal static class RunIdentity
{
    public static string Describe() =>
        $"{Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId}";

    public static string User() => $"{Environment.UserName}@{Environment.MachineName}";
}
