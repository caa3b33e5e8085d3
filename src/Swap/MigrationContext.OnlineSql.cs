using Swap.Discovery;
using Swap.Engine;
using Swap.OnlineSql;

namespace Swap;

public sealed partial class MigrationContext
{
    /// <summary>
    /// Runs a SQL script marked <c>-- swap:online</c>: its ALTER TABLE, CREATE INDEX and DROP INDEX
    /// statements become edits of the table engineer and run through the online copy-and-swap (one
    /// copy per table for each run of consecutive such statements, swapped in together); other
    /// statements run as written, in order. Every statement is parsed before the first one runs,
    /// so a clause outside the grammar refuses the script with nothing done.
    /// </summary>
    internal async Task RunOnlineSqlAsync(IReadOnlyList<SqlStatement> statements, string file)
    {
        var parsed = new List<(SqlStatement Statement, IReadOnlyList<TableEdit>? Edits)>(statements.Count);
        foreach (var statement in statements)
        {
            try
            {
                parsed.Add((statement, OnlineDdlParser.Parse(statement.Text, Engine)));
            }
            catch (OnlineDdlException e)
            {
                throw new SwapException(
                    SwapErrorKind.Refused,
                    $"{Path.GetFileName(file)}({statement.Line}): {e.Message}. Nothing was run; see 'SQL scripts that run online' in docs/writing-migrations.md for what runs online.")
                { ScriptId = ScriptId };
            }
        }
        RefuseRevertValuesForOtherTables(parsed, file);
        var i = 0;
        while (i < parsed.Count)
        {
            var (statement, edits) = parsed[i];
            if (edits is null)
            {
                await ExecuteStatementAsync(statement.Text, null, $"{Path.GetFileName(file)}({statement.Line}): {Shorten(statement.Text)}");
                i++;
                continue;
            }
            var tables = new Dictionary<string, DbTable>(StringComparer.OrdinalIgnoreCase);
            var order = new List<string>();
            var firstLine = statement.Line;
            for (; i < parsed.Count && parsed[i].Edits is { } run; i++)
            {
                foreach (var edit in run)
                {
                    var name = edit.Table ?? await LocateIndexAsync(edit.IndexName!, file, parsed[i].Statement.Line);
                    if (!tables.TryGetValue(name, out var table))
                    {
                        table = await UseTableForAlterAsync(name);
                        tables.Add(name, table);
                        order.Add(name);
                    }
                    try
                    {
                        edit.Apply(table);
                    }
                    catch (SwapException e)
                    {
                        throw new SwapException(e.Kind, $"{Path.GetFileName(file)}({parsed[i].Statement.Line}): {edit.Clause}: {e.Message}", e) { ScriptId = ScriptId };
                    }
                }
            }
            // The statements this swap runs together: a refusal of the swap names them all, as 'file(2-4)'.
            var lines = parsed[i - 1].Statement.Line == firstLine ? $"{firstLine}" : $"{firstLine}-{parsed[i - 1].Statement.Line}";
            foreach (var name in order)
                ApplyRevertValues(tables[name], file);
            try
            {
                await DoneUsingTablesAsync([.. order]);
            }
            // A refusal of the swap's preflight (NOT NULL over NULLs, a duplicate under a new unique
            // index...) names the file and the lines of the statements, as an error of the engine does.
            catch (SwapException e) when (e.ScriptId is null && e.GetType() == typeof(SwapException))
            {
                throw new SwapException(e.Kind, $"{ScriptId}: {Path.GetFileName(file)}({lines}): {e.Message}", e)
                {
                    ScriptId = ScriptId,
                    ServerCode = e.ServerCode,
                    SqlState = e.SqlState,
                    IsTransient = e.IsTransient,
                };
            }
        }
    }

    /// <summary>
    /// The script's <c>-- swap:revert-value</c> directives for this table: one that names the table,
    /// or names no table and a column the table has, is its <see cref="DbTable.SetRevertValue"/>.
    /// </summary>
    private void ApplyRevertValues(DbTable table, string file)
    {
        foreach (var value in session.Script.Sql?.RevertValues ?? [])
        {
            if (value.Table is null ? table.Original.Column(value.Column) is null : !string.Equals(value.Table, table.Name, StringComparison.OrdinalIgnoreCase))
                continue;
            try
            {
                table.SetRevertValue(value.Column, value.Sql);
            }
            catch (SwapException e)
            {
                throw new SwapException(e.Kind, $"{Path.GetFileName(file)}({value.Line}): {value.Text}: {e.Message}", e) { ScriptId = ScriptId };
            }
        }
    }

    /// <summary>
    /// A revert value for a table the script does not alter, or (without a table) for a column no
    /// clause of the script names, is a mistake (a misspelt name) that would otherwise be silently
    /// unused: refused before anything runs.
    /// </summary>
    private void RefuseRevertValuesForOtherTables(IReadOnlyList<(SqlStatement Statement, IReadOnlyList<TableEdit>? Edits)> parsed, string file)
    {
        var edits = parsed.SelectMany(p => p.Edits ?? []).ToList();
        var altered = edits.Select(e => e.Table).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var value in session.Script.Sql?.RevertValues ?? [])
        {
            var mistake =
                value.Table is not null && !altered.Contains(value.Table)
                    ? $"names the table '{value.Table}', which no ALTER TABLE of this script changes; name a table the script alters (or leave the table out)"
                : value.Table is null && !edits.Any(e => NamesColumn(e.Clause, value.Column))
                    ? $"names the column '{value.Column}', which no ALTER TABLE of this script drops or changes; a revert value is for a column the script drops: check the name"
                : null;
            if (mistake is not null)
                throw new SwapException(SwapErrorKind.Refused, $"{Path.GetFileName(file)}({value.Line}): {value.Text} {mistake}. Nothing was run.") { ScriptId = ScriptId };
        }
    }

    /// <summary>Whether a clause as written names the column (bare or quoted, any letter case).</summary>
    private static bool NamesColumn(string clause, string column) =>
        System.Text.RegularExpressions.Regex.IsMatch(
            clause,
            $@"(?<![\w$]){System.Text.RegularExpressions.Regex.Escape(column)}(?![\w$])",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private async Task<string> LocateIndexAsync(string index, string file, int line) =>
        await session.Database.TableOfIndexAsync(session.Connection, session.Transaction, index, CancellationToken)
        ?? throw new SwapException(
            SwapErrorKind.Refused,
            $"{Path.GetFileName(file)}({line}): DROP INDEX {index}: no index of that name on one table; check the name, or write DROP INDEX {index} ON <table>.")
        { ScriptId = ScriptId };
}
