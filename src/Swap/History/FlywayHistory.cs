using System.Data.Common;
using Swap.Data;
using Swap.Dialects;
using Swap.Discovery;

namespace Swap.History;

/// <summary>
/// Flyway's own history (<c>flyway_schema_history</c>) on a database Flyway migrated: which versions
/// its rows say the database has. Only read, never written.
/// </summary>
internal sealed class FlywayHistory
{
    /// <summary>Flyway's default table name, in the target schema.</summary>
    public const string TableName = "flyway_schema_history";

    /// <summary>The name Flyway gave its table before version 5.</summary>
    public const string LegacyTableName = "schema_version";

    private FlywayHistory(IReadOnlyList<(ScriptVersion Version, string Script)> applied, ScriptVersion? baseline, IReadOnlyList<string> failed)
    {
        Applied = applied;
        Baseline = baseline;
        Failed = failed;
    }

    /// <summary>The versions a successful migration row leaves applied (an undo or a deleted row takes one back), with the script Flyway recorded.</summary>
    public IReadOnlyList<(ScriptVersion Version, string Script)> Applied { get; }

    /// <summary>The highest version of a Flyway baseline row (<c>flyway baseline</c> or a <c>B</c> script): every version up to it is in the database.</summary>
    public ScriptVersion? Baseline { get; }

    /// <summary>Rows with <c>success</c> false, as "version (script)": the database is half-migrated.</summary>
    public IReadOnlyList<string> Failed { get; }

    /// <summary>True when the rows say the database has any version at all, or stopped inside one.</summary>
    public bool HasAnything => Applied.Count > 0 || Baseline is not null || Failed.Count > 0;

    /// <summary>The last version Flyway applied (or baselined), for messages.</summary>
    public ScriptVersion? Last => Applied.Select(a => a.Version).Append(Baseline).Where(v => v is not null).Max();

    /// <summary>
    /// Reads the table (Flyway's default name, or the one its <c>flyway.table</c> setting gave), or
    /// returns null when the target schema has none. A table of that name without Flyway's columns
    /// is a usage error that says so.
    /// </summary>
    public static async Task<FlywayHistory?> ReadAsync(SwapDatabase database, DbConnection connection, string table, CancellationToken cancellationToken)
    {
        if (!await database.TableExistsAsync(connection, table, cancellationToken))
            return null;
        var q = database.Dialect.Quote;
        List<Row> rows;
        try
        {
            rows = await connection.QueryAsync(
                $"SELECT {q("installed_rank")}, {q("version")}, {q("type")}, {q("script")}, {q("success")} FROM {q(table)} ORDER BY {q("installed_rank")}",
                null,
                cancellationToken);
        }
        catch (DbException e)
        {
            throw new SwapException(
                SwapErrorKind.Usage,
                $"The table {table} is not a Flyway history table: reading its installed_rank, version, type, script and success columns failed ({e.Message.Split('\n')[0].Trim().TrimEnd('.')}); nothing was recorded. Name the table Flyway keeps its history in (its flyway.table setting) with --flyway-table.",
                e);
        }
        var applied = new Dictionary<ScriptVersion, string>();
        ScriptVersion? baseline = null;
        var failed = new List<string>();
        foreach (var row in rows)
        {
            // Repeatable scripts have no version; Flyway's schema-creation marker has one but no script.
            if (row.String("version") is not { Length: > 0 } text || !IsVersion(text))
                continue;
            var type = row.String("type") ?? "";
            var script = row.String("script") ?? "";
            var version = ScriptVersion.Parse(text);
            if (!row.Bool("success"))
            {
                failed.Add($"{version} ({script})");
                continue;
            }
            if (type == "SCHEMA")
                continue;
            if (type is "BASELINE" or "SQL_BASELINE" or "JDBC_BASELINE")
                baseline = baseline is null || version.CompareTo(baseline) > 0 ? version : baseline;
            else if (type.StartsWith("UNDO", StringComparison.Ordinal) || type == "DELETE")
                applied.Remove(version);
            else
                applied[version] = script;
        }
        return new FlywayHistory(applied.Select(a => (a.Key, a.Value)).OrderBy(a => a.Key).ToList(), baseline, failed);
    }

    private static bool IsVersion(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiDigit(c) || c is '.' or '_') && char.IsAsciiDigit(text[0]) && char.IsAsciiDigit(text[^1]);
}
