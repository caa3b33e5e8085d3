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
            try
            {
                await DoneUsingTablesAsync([.. order]);
            }
            // A refusal of the swap's preflight (NOT NULL over NULLs, a duplicate under a new unique
            // index...) names the file and the line of the statements, as an error of the engine does.
            catch (SwapException e) when (e.ScriptId is null && e.GetType() == typeof(SwapException))
            {
                throw new SwapException(e.Kind, $"{ScriptId}: {Path.GetFileName(file)}({firstLine}): {e.Message}", e)
                {
                    ScriptId = ScriptId,
                    ServerCode = e.ServerCode,
                    SqlState = e.SqlState,
                    IsTransient = e.IsTransient,
                };
            }
        }
    }

    private async Task<string> LocateIndexAsync(string index, string file, int line) =>
        await session.Database.TableOfIndexAsync(session.Connection, session.Transaction, index, CancellationToken)
        ?? throw new SwapException(
            SwapErrorKind.Refused,
            $"{Path.GetFileName(file)}({line}): DROP INDEX {index}: no index of that name on one table; check the name, or write DROP INDEX {index} ON <table>.")
        { ScriptId = ScriptId };
}
