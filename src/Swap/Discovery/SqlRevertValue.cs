namespace Swap.Discovery;

/// <summary>
/// One <c>-- swap:revert-value [table.]column = sql</c> directive of a SQL script: the value rows
/// inserted while a revert window is open get in the kept old table for a column the script drops.
/// Without a table it applies to every table the script swaps that has the column.
/// </summary>
internal sealed record SqlRevertValue(string? Table, string Column, string Sql, int Line)
{
    /// <summary>The directive as written: <c>-- swap:revert-value [table.]column = sql</c>.</summary>
    public string Text => $"-- swap:revert-value {(Table is null ? "" : Table + ".")}{Column} = {Sql}";

    public static SqlRevertValue Parse(string arg, int line, Func<string, SwapException> bad)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        var target = equals < 0 ? "" : arg[..equals].Trim();
        var sql = equals < 0 ? "" : arg[(equals + 1)..].Trim().TrimEnd(';').Trim();
        if (target.Length == 0 || sql.Length == 0)
            throw bad($"has '-- swap:revert-value {arg}', which is not '<column> = <sql>'; write for example \"-- swap:revert-value note = ''\" (or 'items.note = ...' to name the table)");
        var dot = target.LastIndexOf('.');
        var table = dot < 0 ? null : Unquote(target[..dot]);
        var column = Unquote(target[(dot + 1)..]);
        if (column.Length == 0 || table is { Length: 0 })
            throw bad($"has '-- swap:revert-value {arg}', which names no column before '='; write for example \"-- swap:revert-value note = ''\"");
        return new SqlRevertValue(table, column, sql, line);
    }

    /// <summary>A name as written, or quoted with backticks, double quotes or brackets.</summary>
    private static string Unquote(string name)
    {
        name = name.Trim();
        return name.Length >= 2 && (name[0], name[^1]) is ('`', '`') or ('"', '"') or ('[', ']') ? name[1..^1] : name;
    }
}
