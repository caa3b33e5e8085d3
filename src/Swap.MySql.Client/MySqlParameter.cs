using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Swap.MySql.Client.Internal;

namespace Swap.MySql.Client;

/// <summary>
/// A named input parameter (<c>@name</c> in SQL). The value is sent as an escaped literal;
/// supported types: null/DBNull, integers (incl. ulong), decimal, double, float, bool, string, char,
/// byte[] (and byte memory), DateTime, DateTimeOffset (sent as UTC), DateOnly, TimeOnly, TimeSpan,
/// Guid (as CHAR(36) text) and enums (as their integer value).
/// </summary>
public sealed class MySqlParameter : DbParameter
{
    private string _name = "";
    private DbType? _dbType;

    public MySqlParameter() { }

    public MySqlParameter(string name, object? value)
    {
        ParameterName = name;
        Value = value;
    }

    public override DbType DbType
    {
        get => _dbType ?? TypeMap.Infer(Value);
        set => _dbType = value;
    }

    public override ParameterDirection Direction
    {
        get => ParameterDirection.Input;
        set
        {
            if (value != ParameterDirection.Input)
                throw new NotSupportedException("Only input parameters are supported (no stored-procedure output parameters).");
        }
    }

    public override bool IsNullable { get; set; }

    [AllowNull]
    public override string ParameterName
    {
        get => _name;
        set => _name = value ?? "";
    }

    /// <summary>The name without its <c>@</c> or <c>?</c> prefix, as matched against SQL text.</summary>
    internal string NormalizedName => NormalizeName(_name);

    [AllowNull]
    public override string SourceColumn { get; set; } = "";

    public override object? Value { get; set; }

    public override bool SourceColumnNullMapping { get; set; }

    public override int Size { get; set; }

    public override void ResetDbType() => _dbType = null;

    internal static string NormalizeName(string name) =>
        name.Length > 0 && name[0] is '@' or '?' ? name[1..] : name;
}
