namespace Swap.Callbacks;

/// <summary>When a callback runs. The SQL file of each event is named after it: <c>beforeEach.sql</c> and so on.</summary>
internal enum CallbackEvent
{
    BeforeMigrate,
    BeforeEach,
    AfterEach,
    AfterMigrate,
}

internal static class CallbackEvents
{
    /// <summary>The reserved file name of the event's SQL callback.</summary>
    public static string FileName(this CallbackEvent e) => char.ToLowerInvariant(e.ToString()[0]) + e.ToString()[1..] + ".sql";

    /// <summary>The event a reserved file name stands for (case-insensitive), or null.</summary>
    public static CallbackEvent? FromFileName(string fileName) =>
        Enum.GetValues<CallbackEvent>().Select(e => (CallbackEvent?)e).FirstOrDefault(e => string.Equals(e!.Value.FileName(), fileName, StringComparison.OrdinalIgnoreCase));
}
