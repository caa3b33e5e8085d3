using System.Security.Cryptography;
using System.Text;

namespace Swap.Engine;

/// <summary>
/// Names of the objects an online swap makes for a table: <c>_t_swap_new</c> (the copy),
/// <c>_t_swap_old</c> (the original after the swap), and the capture triggers. Long names are
/// shortened with a hash so they fit the engine's limit and stay unique. <see cref="Log"/> is the
/// change log (<c>_t_swap_log</c>) the capture triggers append changed keys to.
/// </summary>
public sealed record SwapNames(string Table, string Copy, string Old, string InsertTrigger, string UpdateTrigger, string DeleteTrigger, string Function)
{
    /// <summary>Every name Swap's own objects start with, for finding leftovers.</summary>
    public const string Marker = "_swap_";

    public static SwapNames For(string table, int maxLength)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        string Make(string suffix)
        {
            var name = "_" + table + Marker + suffix;
            if (name.Length <= maxLength)
                return name;
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(table)))[..8];
            var room = maxLength - (2 + hash.Length + Marker.Length + suffix.Length);
            return "_" + table[..Math.Max(1, room)] + "_" + hash + Marker + suffix;
        }

        return new SwapNames(table, Make("new"), Make("old"), Make("ins"), Make("upd"), Make("del"), Make("fn")) { Log = Make("log") };
    }

    /// <summary>The change-log table: one row (id, operation, key) per captured write, deleted once applied to the copy.</summary>
    public string Log { get; init; } = "";

    /// <summary>True for names Swap makes, so they are never taken for the user's own objects.</summary>
    public static bool IsSwapName(string name) =>
        name.StartsWith('_') && (name.EndsWith(Marker + "new", StringComparison.Ordinal) || name.EndsWith(Marker + "old", StringComparison.Ordinal)
            || name.EndsWith(Marker + "ins", StringComparison.Ordinal) || name.EndsWith(Marker + "upd", StringComparison.Ordinal)
            || name.EndsWith(Marker + "del", StringComparison.Ordinal) || name.EndsWith(Marker + "fn", StringComparison.Ordinal)
            || name.EndsWith(Marker + "log", StringComparison.Ordinal));
}
