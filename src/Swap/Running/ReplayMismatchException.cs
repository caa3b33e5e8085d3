namespace Swap.Running;

/// <summary>Thrown when a resumed script asks for different operations than its journal recorded.</summary>
internal static class ReplayMismatch
{
    public static SwapException Create(string scriptId, int seq, string recorded, string now) => new(
        SwapErrorKind.InvalidMigration,
        $"{scriptId} changed since its interrupted run: " +
        (recorded == now
            ? $"step {seq} ('{recorded}') was recorded with other changes or statements than the script now gives it (the journal keeps a fingerprint of them, not their text). "
            : $"step {seq} was recorded as '{recorded}' but the script now asks for '{now}'. ") +
        "Restore the script as it was and run 'swap up' to finish it, or, once you have checked what the finished steps did, " +
        $"run 'swap cleanup --script {scriptId}' to discard its journal and start it over.")
    { ScriptId = scriptId };
}
