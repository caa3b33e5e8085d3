using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Swap.Dialects;
using Swap.Discovery;

namespace Swap.OnlineSql;

/// <summary>
/// Finds the ALTER TABLE, CREATE INDEX and DROP INDEX statements of SQL scripts that run as
/// written (no <c>-- swap:online</c>) on tables large enough that a native ALTER may lock or
/// rewrite them for a long time, and says how to run them online instead. Reads only.
/// </summary>
internal static partial class DdlLinter
{
    public static async Task<IReadOnlyList<string>> WarningsAsync(SwapDatabase database, DbConnection connection, MigrationScript script, long rowThreshold, CancellationToken cancellationToken)
    {
        if (script.Kind != ScriptKind.Sql || script.Sql is not { Online: false } sql)
            return [];
        var warnings = new List<string>();
        var file = Path.GetFileName(sql.Path);
        foreach (var statement in sql.UpStatements(database.Dialect.Syntax))
        {
            string? table;
            try
            {
                var edits = OnlineDdlParser.Parse(statement.Text, database.Engine);
                table = edits?.Select(e => e.Table).FirstOrDefault(t => t is not null);
                if (edits is not null && table is null && edits[0].IndexName is { } index)
                    table = await database.TableOfIndexAsync(connection, null, index, cancellationToken);
            }
            catch (OnlineDdlException)
            {
                // Outside what runs online, but still an ALTER of a table: worth the warning all the same.
                table = AlterTarget().Match(statement.Text) is { Success: true } m ? m.Groups[1].Value.Trim('`', '"', '[', ']') : null;
            }
            if (table is null)
                continue;
            var schema = await database.TableEngine.LoadTableAsync(connection, null, table, cancellationToken);
            if (schema is null || schema.EstimatedRows < rowThreshold)
                continue;
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{file}({statement.Line}): {MigrationContext.Shorten(statement.Text)} runs as written on '{table}' (~{schema.EstimatedRows:N0} rows) and may lock or rewrite it for as long as it takes; add '-- swap:online' to the script to run it through the online copy-and-swap"));
        }
        return warnings;
    }

    [GeneratedRegex(@"^\s*ALTER\s+TABLE\s+(?:ONLY\s+)?([`""\[]?[\w$]+[`""\]]?)", RegexOptions.IgnoreCase)]
    private static partial Regex AlterTarget();
}
