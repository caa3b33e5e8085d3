using Swap.Data;
using System.Globalization;

namespace Swap;

/// <summary>One row of a small query result, read by column name (case-insensitive).</summary>
public sealed class Row
{
    private readonly string[] names;
    private readonly object?[] values;

    internal Row(string[] names, object?[] values)
    {
        this.names = names;
        this.values = values;
    }

    public IReadOnlyList<string> Columns => names;

    public object? this[string column] => values[Ordinal(column)];

    public object? this[int ordinal] => values[ordinal];

    public string? String(string column) => this[column] switch
    {
        null => null,
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        var v => Convert.ToString(v, CultureInfo.InvariantCulture),
    };

    public long? Int64(string column) => this[column] is { } v ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : null;

    public bool Bool(string column) => this[column] switch
    {
        null => false,
        bool b => b,
        string s => s is "1" or "t" or "true" or "YES" or "yes",
        var v => Convert.ToInt64(v, CultureInfo.InvariantCulture) != 0,
    };

    public DateTime? Timestamp(string column) => this[column] switch
    {
        null => null,
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
        DateTimeOffset o => o.UtcDateTime,
        string s => DateTime.SpecifyKind(DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc),
        var v => throw new InvalidCastException($"Column {column} holds {v.GetType().Name}, not a timestamp"),
    };

    private int Ordinal(string column)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], column, StringComparison.OrdinalIgnoreCase))
                return i;
        }
        throw new KeyNotFoundException($"The result has no column '{column}'; it has {string.Join(", ", names)}.");
    }
}
