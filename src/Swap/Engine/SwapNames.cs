using System.Security.Cryptography;
using System.Text;
using Swap.Dialects;

namespace Swap.Engine;

/// <summary>
/// Names of the objects an online swap makes for a table: <c>_t_swap_new</c> (the copy),
/// <c>_t_swap_old</c> (the original after the swap), and the capture triggers. Long names are
/// shortened with a hash so they fit the engine's limit and stay unique. <see cref="Log"/> is the
/// change log (<c>_t_swap_log</c>) the capture triggers append changed keys to.
/// </summary>
internal sealed record SwapNames(string Table, string Copy, string Old, string InsertTrigger, string UpdateTrigger, string DeleteTrigger, string Function)
{
    /// <summary>Every name Swap's own objects start with, for finding leftovers.</summary>
    public const string Marker = "_swap_";

    public static SwapNames For(string table, int maxLength)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        return new SwapNames(table, Make(table, "new", maxLength), Make(table, "old", maxLength), Make(table, "ins", maxLength), Make(table, "upd", maxLength), Make(table, "del", maxLength), Make(table, "fn", maxLength))
        {
            Log = Make(table, "log", maxLength),
            UserTriggerPrefix = Make(table, "t00000000", maxLength)[..^8],
        };
    }

    /// <summary>
    /// The names of a revert: the copy is the former original (<c>_t_swap_old</c>), the table goes
    /// back to <c>_t_swap_new</c>, and the reverse capture has its own triggers, function and log
    /// (<c>_t_swap_rins</c> ... <c>_t_swap_rlog</c>), so it can be installed before the forward
    /// capture is removed.
    /// </summary>
    public static SwapNames Reverse(string table, int maxLength)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        return new SwapNames(table, Make(table, "old", maxLength), Make(table, "new", maxLength), Make(table, "rins", maxLength), Make(table, "rupd", maxLength), Make(table, "rdel", maxLength), Make(table, "rfn", maxLength))
        {
            Log = Make(table, "rlog", maxLength),
            // The forward swap gave its temporary trigger names back before the window opened.
            UserTriggerPrefix = Make(table, "t00000000", maxLength)[..^8],
        };
    }

    // Lengths are counted in UTF-8 bytes: PostgreSQL's limit (63) is in bytes and it cuts a longer
    // name silently, so a name of 60 characters with a few 'é' would lose its suffix there
    // (_café…_swap_ne); MySQL's limit is in characters, which a name that fits in bytes also fits.
    private static string Make(string table, string suffix, int maxLength)
    {
        var name = "_" + table + Marker + suffix;
        if (Encoding.UTF8.GetByteCount(name) <= maxLength)
            return name;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(table)))[..8];
        var room = maxLength - (2 + hash.Length + Marker.Length + suffix.Length);
        return "_" + Identifiers.Prefix(table, Math.Max(1, room)) + "_" + hash + Marker + suffix;
    }

    private static readonly string[] Suffixes = ["new", "old", "ins", "upd", "del", "fn", "log", "rins", "rupd", "rdel", "rfn", "rlog"];

    /// <summary>The change-log table: one row (id, operation, key) per captured write, deleted once applied to the copy.</summary>
    public string Log { get; init; } = "";

    /// <summary>
    /// The temporary name under which the table's own trigger <paramref name="trigger"/> is created on
    /// the copy at the cut-over (engines whose trigger names are unique per schema, MySQL/MariaDB),
    /// before it gets its own name back on the swapped table: the copy's name with <c>t</c> and a
    /// hash of the trigger's name instead of <c>new</c>.
    /// </summary>
    public string UserTrigger(string trigger)
    {
        ArgumentException.ThrowIfNullOrEmpty(trigger);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(trigger)))[..8];
        return UserTriggerPrefix + hash;
    }

    /// <summary>Where <see cref="UserTrigger"/> names start (made to fit the engine's name limit with the hash).</summary>
    public string UserTriggerPrefix { get; init; } = "";

    private static bool IsUserTriggerName(string name)
    {
        var at = name.LastIndexOf(Marker + "t", StringComparison.Ordinal);
        return at > 0 && name.Length - at - Marker.Length - 1 == 8 && name[(at + Marker.Length + 1)..].All(char.IsAsciiHexDigitLower);
    }

    /// <summary>True for names Swap makes, so they are never taken for the user's own objects.</summary>
    public static bool IsSwapName(string name) =>
        name.StartsWith('_') && (IsUserTriggerName(name) || Suffixes.Any(s => name.EndsWith(Marker + s, StringComparison.Ordinal)));

    /// <summary>True for the reverse capture of a revert window (<c>_t_swap_rins</c> ... <c>_t_swap_rlog</c>).</summary>
    public static bool IsReverseCaptureName(string name) =>
        name.StartsWith('_') && Suffixes.Where(s => s[0] == 'r').Any(s => name.EndsWith(Marker + s, StringComparison.Ordinal));
}
