using System.Data;

namespace Swap.MySql.Client.Internal;

/// <summary>Infers a <see cref="DbType"/> for a parameter value (informational only; values drive the SQL).</summary>
internal static class TypeMap
{
    internal static DbType Infer(object? value) => value switch
    {
        null or DBNull => DbType.Object,
        string or char => DbType.String,
        bool => DbType.Boolean,
        sbyte => DbType.SByte,
        byte => DbType.Byte,
        short => DbType.Int16,
        ushort => DbType.UInt16,
        int => DbType.Int32,
        uint => DbType.UInt32,
        long => DbType.Int64,
        ulong => DbType.UInt64,
        decimal => DbType.Decimal,
        double => DbType.Double,
        float => DbType.Single,
        byte[] or ReadOnlyMemory<byte> or Memory<byte> or ArraySegment<byte> => DbType.Binary,
        DateTime => DbType.DateTime,
        DateTimeOffset => DbType.DateTimeOffset,
        DateOnly => DbType.Date,
        TimeOnly or TimeSpan => DbType.Time,
        Guid => DbType.Guid,
        Enum e => Infer(Convert.ChangeType(e, Enum.GetUnderlyingType(e.GetType()), System.Globalization.CultureInfo.InvariantCulture)),
        _ => DbType.Object,
    };
}
