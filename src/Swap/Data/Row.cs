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

    /// <summary>The result's column names, in order.</summary>
    public IReadOnlyList<string> Columns => names;

    /// <summary>
    /// The value of <paramref name="column"/> (case-insensitive) as the driver returned it; null for SQL NULL.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The result has no such column; the message lists the columns it has.</exception>
    public object? this[string column] => values[Ordinal(column)];

    /// <summary>The value at <paramref name="ordinal"/> (0-based) as the driver returned it; null for SQL NULL.</summary>
    public object? this[int ordinal] => values[ordinal];

    /// <summary>
    /// The value as text: null for NULL, bytes decoded as UTF-8, numbers and dates formatted with the
    /// invariant culture.
    /// </summary>
    public string? String(string column) => this[column] switch
    {
        null => null,
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        var v => Convert.ToString(v, CultureInfo.InvariantCulture),
    };

    /// <summary>The value as a 64-bit integer, or null for NULL; throws when the value does not convert (text that is not a number, a value out of range).</summary>
    public long? Int64(string column) => this[column] is { } v ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// The value as a bool, however the engine stores it: a boolean as is, a number as true when not 0
    /// (MySQL <c>TINYINT(1)</c>, SQLite), text as true for <c>1</c>, <c>t</c>, <c>true</c>, <c>yes</c>
    /// or <c>YES</c>. NULL reads false.
    /// </summary>
    public bool Bool(string column) => this[column] switch
    {
        null => false,
        bool b => b,
        string s => s is "1" or "t" or "true" or "YES" or "yes",
        var v => Convert.ToInt64(v, CultureInfo.InvariantCulture) != 0,
    };

    /// <summary>
    /// The value as a UTC <see cref="DateTime"/> (<see cref="DateTimeKind.Utc"/>), or null for NULL.
    /// A value without an offset is taken as UTC, as Swap writes its own times; text (SQLite) is parsed.
    /// </summary>
    /// <exception cref="InvalidCastException">The value is not a date and time.</exception>
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
