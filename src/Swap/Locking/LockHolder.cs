namespace Swap;

/// <summary>Who holds the run lock.</summary>
/// <param name="Holder">The holder's own description (user@host pid N), from the info table.</param>
/// <param name="SinceUtc">When the holder took the lock.</param>
/// <param name="Session">The engine's view of the holding session, if it could be read.</param>
public sealed record LockHolder(string? Holder, DateTime? SinceUtc, string? Session)
{
    /// <summary>In words: the holder, <c>since yyyy-MM-dd HH:mm:ss UTC</c>, then the engine's session in parentheses; parts that could not be read are left out.</summary>
    public override string ToString()
    {
        var who = Holder ?? "an unknown holder";
        var since = SinceUtc is { } s ? $" since {s:yyyy-MM-dd HH:mm:ss} UTC" : "";
        var session = Session is null ? "" : $" ({Session})";
        return who + since + session;
    }
}
