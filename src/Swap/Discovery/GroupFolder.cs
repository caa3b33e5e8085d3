using System.Globalization;
using System.Text.RegularExpressions;

namespace Swap.Discovery;

/// <summary>Group folders are named <c>YYYY-MM-DD-name</c>.</summary>
internal static partial class GroupFolder
{
    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})-(?<name>.+)$")]
    private static partial Regex Pattern();

    public static bool IsGroup(string folderName) => TryParseDate(folderName) is not null;

    public static DateOnly? TryParseDate(string? folderName)
    {
        if (folderName is null)
            return null;
        var m = Pattern().Match(folderName);
        return m.Success && DateOnly.TryParseExact(m.Groups["date"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;
    }
}
