using System.Globalization;
using System.Data.Common;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.MySql;

internal sealed partial class MySqlTableEngine
{

    /// <summary>
    /// The table's definition as the server prints it (<c>SHOW CREATE TABLE</c>: columns, indexes,
    /// keys, checks, options, comments, partitions) and the user's triggers on it; Swap's capture
    /// triggers (named with <c>_swap_</c>) are left out. Grants are by name on MySQL and follow the
    /// name to the swapped table by themselves.
    /// </summary>
    public override IReadOnlyList<string> DefinitionQueries(string table) =>
    [
        $"SHOW CREATE TABLE {D.Quote(table)}",
        $"SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER, ACTION_STATEMENT, DEFINER, SQL_MODE FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = @t AND INSTR(TRIGGER_NAME, '{SwapNames.Marker}') = 0 ORDER BY TRIGGER_NAME",
    ];

    /// <summary>
    /// Without the next AUTO_INCREMENT value, which every insert moves, and with the foreign keys in
    /// name order: the cut-over of a table they point at drops and adds them again, which changes
    /// only where the server prints them.
    /// </summary>
    public override string NormalizeDefinition(string definition)
    {
        var lines = AutoIncrementOption().Replace(definition, "").Split('\n');
        // RESTRICT, NO ACTION and no action at all are one rule in InnoDB; a key pointed at a swapped table comes back with them spelled out.
        var keys = lines.Where(IsForeignKeyLine).Select(l => DefaultKeyRule().Replace(l.TrimEnd(','), "")).Order(StringComparer.Ordinal).ToList();
        return string.Join('\n', lines.Select(l => IsForeignKeyLine(l) ? "" : l)) + "\n" + string.Join('\n', keys);
    }

    [System.Text.RegularExpressions.GeneratedRegex(" ON (?:DELETE|UPDATE) (?:RESTRICT|NO ACTION)")]
    private static partial System.Text.RegularExpressions.Regex DefaultKeyRule();

    private static bool IsForeignKeyLine(string line) =>
        line.TrimStart().StartsWith("CONSTRAINT ", StringComparison.Ordinal) && line.Contains(" FOREIGN KEY ", StringComparison.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex(@" AUTO_INCREMENT=\d+")]
    private static partial System.Text.RegularExpressions.Regex AutoIncrementOption();

    /// <summary>
    /// InnoDB's ids of the table and its partitions (<c>INNODB_SYS_TABLES</c> on MariaDB,
    /// <c>INNODB_TABLES</c> on MySQL 8), which TRUNCATE, a partition truncated or exchanged, and a
    /// rebuild (OPTIMIZE, ALTER TABLE ... FORCE) replace. InnoDB names tables by their file names,
    /// which encode every character but ASCII letters, digits and underscores: a name with other
    /// non-ASCII characters, or a user without the PROCESS privilege these views need, gets null
    /// (nothing to compare; verification still catches a TRUNCATE before it).
    /// </summary>
    public override async Task<string?> StorageIdentityAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken)
    {
        if (InnoDbFileName(database.DatabaseName) is not { } schema || InnoDbFileName(table) is not { } name)
            return null;
        var full = schema + "/" + name;
        var view = connection.ServerVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase) ? "INNODB_SYS_TABLES" : "INNODB_TABLES";
        List<Row> rows;
        try
        {
            rows = await connection.QueryAsync(
                $"SELECT NAME, TABLE_ID FROM information_schema.{view} WHERE NAME LIKE @p",
                // '_' matches any character here, '%' cannot occur (encoded): the rows are filtered exactly below.
                new { p = full + "%" },
                transaction,
                cancellationToken);
        }
        catch (MySqlConnector.MySqlException e) when (e.ErrorCode is MySqlConnector.MySqlErrorCode.SpecifiedAccessDeniedError or MySqlConnector.MySqlErrorCode.UnknownTable)
        {
            return null;
        }
        var ids = rows
            .Select(r => (Name: System.Convert.ToString(r[0], CultureInfo.InvariantCulture)!, Id: System.Convert.ToString(r[1], CultureInfo.InvariantCulture)))
            .Where(r => r.Name == full || (r.Name.Length > full.Length + 3 && r.Name.StartsWith(full, StringComparison.Ordinal) && r.Name.AsSpan(full.Length, 3).Equals("#P#", StringComparison.OrdinalIgnoreCase)))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => r.Name[full.Length..] + "=" + r.Id)
            .ToList();
        return ids.Count == 0 ? null : string.Join(",", ids);
    }

    /// <summary>
    /// <paramref name="name"/> as InnoDB's catalog spells it (the server's file-name encoding):
    /// ASCII letters, digits and <c>_</c> as they are, other ASCII characters as <c>@</c> and four
    /// hex digits; null for a name with non-ASCII characters, which the server encodes by tables
    /// of its own.
    /// </summary>
    internal static string? InnoDbFileName(string name)
    {
        var text = new System.Text.StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c > 127)
                return null;
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
                text.Append(c);
            else
                text.Append('@').Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    public override async Task<TableSchema?> LoadTableAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken)
    {
        var head = await connection.QueryAsync(
            "SELECT TABLE_ROWS, DATA_LENGTH, ENGINE, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @name",
            new { name = table },
            transaction,
            cancellationToken);
        // MariaDB lists a table WITH SYSTEM VERSIONING as "SYSTEM VERSIONED": it is a table (the
        // preflight refuses to swap it), not a missing one.
        if (head.Count == 0 || head[0].String("TABLE_TYPE") is not ("BASE TABLE" or SystemVersioned))
            return null;
        var create = await connection.QueryAsync($"SHOW CREATE TABLE {D.Quote(table)}", null, transaction, cancellationToken);
        var ddl = create[0].String("Create Table") ?? create[0][1]?.ToString() ?? "";
        var definitions = ColumnDefinitions(ddl);

        var columns = (await connection.QueryAsync(
            """
            SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, EXTRA, GENERATION_EXPRESSION, COLLATION_NAME, COLUMN_COMMENT
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @name ORDER BY ORDINAL_POSITION
            """,
            new { name = table },
            transaction,
            cancellationToken)).Select(r =>
            {
                var name = r.String("COLUMN_NAME")!;
                var extra = r.String("EXTRA") ?? "";
                var def = definitions.GetValueOrDefault(name) ?? "";
                var generated = extra.Contains("GENERATED", StringComparison.OrdinalIgnoreCase) ? r.String("GENERATION_EXPRESSION") : null;
                return new ColumnSchema(
                    name,
                    r.String("COLUMN_TYPE")!,
                    r.String("IS_NULLABLE") == "YES",
                    MySqlColumnText.Default(def),
                    AutoIncrement: extra.Contains("auto_increment", StringComparison.OrdinalIgnoreCase),
                    Generated: generated is { Length: > 0 } ? generated : null,
                    Collation: r.String("COLLATION_NAME"),
                    Comment: r.String("COLUMN_COMMENT"))
                {
                    Extra = ColumnExtra(def, extra, generated),
                };
            }).ToList();

        var stats = await connection.QueryAsync(
            """
            SELECT INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, SUB_PART, INDEX_TYPE, COLLATION
            FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @name ORDER BY INDEX_NAME, SEQ_IN_INDEX
            """,
            new { name = table },
            transaction,
            cancellationToken);
        // The definition's text after the index's name (columns, options), to build it again as it is.
        var indexTexts = MySqlIndexText.Definitions(ddl);
        var indexes = stats.GroupBy(s => s.String("INDEX_NAME")!, StringComparer.Ordinal)
            .Select(g => new IndexSchema(
                g.Key,
                g.Select(s => new IndexColumn(s.String("COLUMN_NAME") ?? "", s.Int64("SUB_PART") is { } p ? (int)p : null, s.String("COLLATION") == "D", s.String("COLUMN_NAME") is null ? "expression" : null)).ToList(),
                g.First().Int64("NON_UNIQUE") == 0,
                Method: g.First().String("INDEX_TYPE"),
                Definition: indexTexts.GetValueOrDefault(g.Key)))
            .ToList();
        var pk = indexes.FirstOrDefault(i => i.Name == "PRIMARY");

        var fks = await connection.QueryAsync(
            """
            SELECT k.CONSTRAINT_NAME, k.TABLE_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE
            FROM information_schema.KEY_COLUMN_USAGE k
            JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
            WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL AND (k.TABLE_NAME = @name OR k.REFERENCED_TABLE_NAME = @name)
            ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION
            """,
            new { name = table },
            transaction,
            cancellationToken);
        var foreignKeys = Group(fks);

        var triggers = await MySqlTriggerMover.LoadAsync(connection, transaction, table, cancellationToken);
        var views = await MySqlViewCheck.LoadAsync(connection, transaction, table, cancellationToken);
        var extra = head[0].String("TABLE_TYPE") == SystemVersioned
            ? new Dictionary<string, string> { ["engine"] = head[0].String("ENGINE") ?? "", ["ddl"] = ddl, ["system_versioned"] = "1" }
            : new Dictionary<string, string> { ["engine"] = head[0].String("ENGINE") ?? "", ["ddl"] = ddl };
        MySqlViewCheck.Keep(extra, views);

        return new TableSchema
        {
            Name = table,
            Columns = columns,
            PrimaryKey = pk?.Columns.Select(c => c.Name).ToList() ?? [],
            PrimaryKeyName = pk is null ? null : "PRIMARY",
            Indexes = indexes.Where(i => i.Name != "PRIMARY").ToList(),
            ForeignKeys = foreignKeys.Where(f => string.Equals(f.Table, table, StringComparison.Ordinal)).ToList(),
            ReferencedBy = foreignKeys.Where(f => !string.Equals(f.Table, table, StringComparison.Ordinal)).ToList(),
            Triggers = triggers,
            Checks = MySqlColumnText.Checks(ddl),
            EstimatedRows = head[0].Int64("TABLE_ROWS") ?? 0,
            // InnoDB counts the pages of off-page columns (LONGBLOB, LONGTEXT) in the clustered index's size.
            EstimatedBytes = head[0].Int64("DATA_LENGTH") ?? 0,
            Extra = extra,
        };
    }

    private const string SystemVersioned = "SYSTEM VERSIONED";

    /// <summary>
    /// A column's definition text, whether it is generated (and how), and whether it is invisible
    /// (MariaDB 10.3+, MySQL 8.0.23+: <c>INVISIBLE</c> in information_schema's EXTRA), which a
    /// MODIFY of the column must say again or the column becomes visible.
    /// </summary>
    private static Dictionary<string, string> ColumnExtra(string definition, string extra, string? generated)
    {
        var result = new Dictionary<string, string> { ["ddl"] = definition };
        if (generated is { Length: > 0 })
            result["generated"] = extra.Contains("VIRTUAL", StringComparison.OrdinalIgnoreCase) ? "virtual" : "stored";
        if (extra.Split(' ').Contains("INVISIBLE", StringComparer.OrdinalIgnoreCase))
            result["invisible"] = "1";
        return result;
    }

    /// <summary>Each column's definition text as SHOW CREATE TABLE prints it (everything after the name).</summary>
    internal static Dictionary<string, string> ColumnDefinitions(string ddl)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in ddl.Split('\n').Skip(1))
        {
            var line = raw.Trim();
            if (!line.StartsWith('`'))
                continue;
            var end = 1;
            while (end < line.Length)
            {
                if (line[end] == '`')
                {
                    if (end + 1 < line.Length && line[end + 1] == '`')
                    {
                        end += 2;
                        continue;
                    }
                    break;
                }
                end++;
            }
            var name = line[1..end].Replace("``", "`", StringComparison.Ordinal);
            result[name] = line[(end + 1)..].Trim().TrimEnd(',');
        }
        return result;
    }
}
