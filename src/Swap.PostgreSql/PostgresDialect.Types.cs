using Swap.Engine;

namespace Swap.PostgreSql;

internal sealed partial class PostgresDialect
{
    public override string TypeSql(ColumnType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Kind switch
        {
            ColumnKind.SmallInt => "smallint",
            ColumnKind.Int => "integer",
            ColumnKind.BigInt => "bigint",
            ColumnKind.Decimal => $"numeric({type.Precision},{type.Scale})",
            ColumnKind.Float => "real",
            ColumnKind.Double => "double precision",
            ColumnKind.String => $"character varying({type.Length})",
            ColumnKind.Text or ColumnKind.Enum => "text",
            ColumnKind.Boolean => "boolean",
            ColumnKind.Date => "date",
            ColumnKind.Time => "time(6) without time zone",
            ColumnKind.Timestamp => "timestamp(6) without time zone",
            ColumnKind.Json => "jsonb",
            ColumnKind.Binary => "bytea",
            ColumnKind.Uuid => "uuid",
            ColumnKind.Interval => "interval",
            ColumnKind.Native => type.Native!,
            ColumnKind.UnsignedBigInt => throw Lacks(type, "Use DbColumn.Decimal(name, 20, 0) for values above 2^63, or DbColumn.BigInt."),
            _ => throw Lacks(type, "Use a native type with ColumnType.NativeType(...)."),
        };
    }

    /// <summary>
    /// The name PostgreSQL gives a constraint it names itself (its <c>makeObjectName</c>):
    /// <c>name1_name2_label</c>, or <c>name1_label</c>; when that is over 63 bytes, the longer of the
    /// two names is cut a character at a time until it fits, never splitting a character. Cutting the
    /// whole name at 63 instead (as Swap did) named a long table's key or check otherwise than the
    /// server, so its check was not found and its key was renamed to a name nothing else used.
    /// </summary>
    internal static string DefaultName(string name1, string? name2, string label)
    {
        static int Bytes(string s) => System.Text.Encoding.UTF8.GetByteCount(s);
        var overhead = (name2 is null ? 0 : 1) + Bytes(label) + 1;
        var available = 63 - overhead;
        int chars1 = Bytes(name1), chars2 = name2 is null ? 0 : Bytes(name2);
        while (chars1 + chars2 > available)
        {
            if (chars1 > chars2)
                chars1--;
            else
                chars2--;
        }
        var first = Swap.Dialects.Identifiers.Prefix(name1, chars1);
        return name2 is null ? $"{first}_{label}" : $"{first}_{Swap.Dialects.Identifiers.Prefix(name2, chars2)}_{label}";
    }

    /// <summary>
    /// The CHECK that keeps <paramref name="column"/> to a list of values, named as PostgreSQL names a
    /// column's CHECK (<c>table_column_check</c>): an enum's (<see cref="TypeCheck"/>), as the catalog
    /// prints it (<c>CHECK ((status = ANY (ARRAY['a'::text, ...])))</c>, or <c>= 'a'</c> for one
    /// value). It belongs to the column's type, so a type change drops it with the old type; null
    /// when the table has none (or that name holds another kind of check, which stays).
    /// </summary>
    internal static string? ValueListCheck(Swap.Engine.Schema.TableSchema table, string column)
    {
        var name = DefaultName(table.Name, column, "check");
        if (table.Checks.FirstOrDefault(c => c.Name == name) is not { } check)
            return null;
        var definition = check.Definition ?? check.Expression;
        var quoted = System.Text.RegularExpressions.Regex.Escape("\"" + column.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"");
        var plain = System.Text.RegularExpressions.Regex.Escape(column);
        var valueList = System.Text.RegularExpressions.Regex.IsMatch(
            definition,
            $@"^CHECK \(+(?:{quoted}|{plain})\)?(?:::[a-z ]+)?\s*=\s*(?:ANY\s*\(|')",
            System.Text.RegularExpressions.RegexOptions.None,
            TimeSpan.FromSeconds(1));
        return valueList && !definition.Contains(" AND ", StringComparison.Ordinal) && !definition.Contains(" OR ", StringComparison.Ordinal) ? name : null;
    }

    /// <summary>An enum is a text column with a CHECK constraint on PostgreSQL.</summary>
    internal string? TypeCheck(string column, ColumnType? type) => type?.Kind == ColumnKind.Enum
        ? $"CHECK ({Quote(column)} IN ({string.Join(", ", type.Values!.Select(Literal))}))"
        : null;
}
