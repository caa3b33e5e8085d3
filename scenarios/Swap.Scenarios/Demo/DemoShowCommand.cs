using System.Data.Common;
using System.Globalization;
using System.Text;
using Swap.Sqlite;

namespace Swap.Scenarios.Demo;

/// <summary>
/// <c>demo-show &lt;file.db&gt; [--table T] [--rows N]</c>: a table as a person would look at it
/// before and after a migration: its columns with their types, its first rows, and its row count.
/// </summary>
internal static class DemoShowCommand
{
    private const string Usage = "usage: demo-show <file.db> [--table customers] [--rows 3]";
    private const int ValueWidth = 24;

    public static async Task<int> RunAsync(string[] args)
    {
        var path = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        var table = Option(args, "--table") ?? "customers";
        var rows = int.TryParse(Option(args, "--rows"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 3;
        if (path is null || !File.Exists(path))
        {
            Console.Error.WriteLine(path is null ? Usage : $"{path} does not exist.");
            return 2;
        }
        await using var connection = await new SqliteDatabase(path).OpenConnectionAsync(CancellationToken.None);
        Console.Write(await RenderAsync(connection, table, rows, CancellationToken.None));
        return 0;
    }

    /// <summary>The columns (name and type), the first <paramref name="rows"/> rows by rowid, and the row count, as text.</summary>
    internal static async Task<string> RenderAsync(DbConnection connection, string table, int rows, CancellationToken cancellationToken)
    {
        var quoted = "\"" + table.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var columns = new List<(string Name, string Type)>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = $"SELECT name, type FROM pragma_table_info('{table.Replace("'", "''", StringComparison.Ordinal)}') ORDER BY cid";
            await using var reader = await info.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                columns.Add((reader.GetString(0), reader.GetString(1)));
        }
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{table}: {columns.Count} columns: {string.Join(", ", columns.Select(c => $"{c.Name} {c.Type}".TrimEnd()))}");
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = $"SELECT * FROM {quoted} ORDER BY rowid LIMIT {rows.ToString(CultureInfo.InvariantCulture)}";
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            // One line per row, column=value, so a wide table stays readable on a narrow terminal.
            while (await reader.ReadAsync(cancellationToken))
                text.AppendLine("  " + string.Join(", ", Enumerable.Range(0, reader.FieldCount).Select(i => columns[i].Name + "=" + Value(reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? ""))));
        }
        await using (var count = connection.CreateCommand())
        {
            count.CommandText = $"SELECT COUNT(*) FROM {quoted}";
            var n = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            text.AppendLine(CultureInfo.InvariantCulture, $"  ({n:N0} rows)");
        }
        return text.ToString();
    }

    private static string Value(string value) =>
        value.Length > ValueWidth ? value[..(ValueWidth - 3)] + "..." : value;

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
