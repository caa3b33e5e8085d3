using System.Globalization;
using System.Text;
using Swap.Engine;

namespace Swap.OnlineSql;

/// <summary>One change a DDL statement makes to one table, as an edit of the table engineer.</summary>
/// <param name="Table">The table, or null for a <c>DROP INDEX</c> that does not name it (PostgreSQL, SQLite): the runner looks it up.</param>
/// <param name="IndexName">For a <c>DROP INDEX</c> without a table: the index.</param>
/// <param name="Clause">The clause as written, for messages and plans.</param>
/// <param name="Apply">The edit.</param>
internal sealed record TableEdit(string? Table, string? IndexName, string Clause, Action<DbTable> Apply);

/// <summary>A refused clause: outside the grammar Swap runs online.</summary>
internal sealed class OnlineDdlException(string message) : Exception(message);

/// <summary>
/// Reads <c>ALTER TABLE</c>, <c>CREATE INDEX</c> and <c>DROP INDEX</c> statements of a SQL script
/// marked <c>-- swap:online</c> into edits of the table engineer, so they run through the same
/// online copy-and-swap as a C# script. Anything outside the supported grammar is refused
/// (<see cref="OnlineDdlException"/>) naming the clause; other statements return null and run as
/// written. The grammar is documented in docs/writing-migrations.md.
/// </summary>
internal sealed class OnlineDdlParser
{
    private static readonly string[] ColumnClauseEnd = ["NOT", "NULL", "DEFAULT", "FIRST", "AFTER", "PRIMARY", "UNIQUE", "REFERENCES", "CHECK", "COLLATE", "AUTO_INCREMENT", "GENERATED", "COMMENT", "CONSTRAINT", "AS", "CHARACTER", "ON", "INVISIBLE", "VISIBLE"];

    /// <summary>MySQL/MariaDB reserved words that may follow ADD besides a column, an index or a key: FULLTEXT and SPATIAL indexes, partitions.</summary>
    private static readonly string[] MySqlNotAColumn = ["FULLTEXT", "SPATIAL", "PARTITION"];

    private readonly List<SqlToken> t;
    private readonly DatabaseEngine engine;
    private int p;
    private string? primaryKeyDropped;
    private bool primaryKeyAdded;

    private readonly string sql;

    private OnlineDdlParser(List<SqlToken> tokens, DatabaseEngine engine, string sql)
    {
        t = tokens;
        this.sql = sql;
        this.engine = engine;
    }

    /// <summary>
    /// The edits of one statement, or null when it is not a statement Swap runs online. Names are
    /// read as <paramref name="engine"/> reads them: PostgreSQL folds an unquoted name to lower case
    /// (<c>ALTER TABLE Items ADD NewCol int</c> adds <c>newcol</c> to <c>items</c>), as it would
    /// run without <c>-- swap:online</c>.
    /// </summary>
    public static IReadOnlyList<TableEdit>? Parse(string sql, DatabaseEngine engine)
    {
        List<SqlToken> tokens;
        try
        {
            tokens = SqlTokenizer.Tokenize(sql);
        }
        catch (FormatException e)
        {
            throw new OnlineDdlException(e.Message);
        }
        while (tokens.Count > 0 && tokens[^1].IsPunct(';'))
            tokens.RemoveAt(tokens.Count - 1);
        var parser = new OnlineDdlParser(tokens, engine, sql);
        if (parser.Peek("ALTER") && parser.Peek("TABLE", 1))
            return parser.AlterTable();
        if (parser.Peek("CREATE") && (parser.Peek("INDEX", 1) || (parser.Peek("UNIQUE", 1) && parser.Peek("INDEX", 2))))
            return [parser.CreateIndex()];
        if (parser.Peek("DROP") && parser.Peek("INDEX", 1))
            return [parser.DropIndex()];
        return null;
    }

    private IReadOnlyList<TableEdit> AlterTable()
    {
        p = 2;
        if (Peek("ONLY"))
            p++;
        var table = Name("the table");
        var edits = new List<TableEdit>();
        do
        {
            var start = p;
            var apply = Clause();
            if (apply != Ignored)
                edits.Add(new TableEdit(table, null, Text(start, p), apply));
        }
        while (Accept(','));
        if (p < t.Count)
            throw Refuse(Text(p, t.Count), "is not understood after the last clause");
        if (edits.Count == 0)
            throw Refuse(Text(0, t.Count), "changes nothing but how MySQL would run it; Swap picks that itself. Remove the statement, or run it without '-- swap:online'");
        // DROP PRIMARY KEY replaces the key when ADD PRIMARY KEY (...) in the same statement sets the
        // new one (SetPrimaryKey replaces the old), in either order. Alone, the table must be left a
        // unique key over NOT NULL columns (MySQL accepts that too: InnoDB clusters by it), checked
        // once the statement's every clause has run.
        if (primaryKeyDropped is { } dropped && !primaryKeyAdded && engine != DatabaseEngine.MySql)
            throw Refuse(dropped, "drops the primary key; an online swap needs a key. Replace it in the same statement with ADD PRIMARY KEY (...)");
        if (primaryKeyDropped is { } kept && !primaryKeyAdded)
            edits.Add(new TableEdit(table, null, kept, t => t.RequireKeyWithoutPrimaryKey()));
        return edits;
    }

    /// <summary>What a clause that changes nothing returns (MySQL's ALGORITHM= and LOCK=): it makes no edit.</summary>
    private static readonly Action<DbTable> Ignored = _ => { };

    private Action<DbTable> Clause()
    {
        // MySQL's ALGORITHM= and LOCK= say how the server should run the ALTER; Swap picks that itself
        // (instant, in place or a copy, never blocking writes beyond its bounded lock), so they are read and left out.
        if (engine == DatabaseEngine.MySql && (Peek("ALGORITHM") || Peek("LOCK")))
        {
            var from = p++;
            Accept('=');
            if (p >= t.Count || t[p].Kind != SqlTokenKind.Word)
                throw Refuse(Text(from, Math.Min(p + 1, t.Count)), "has no value");
            p++;
            return Ignored;
        }
        var start = p;
        // MySQL's table rebuild (pt-online-schema-change's ALTER "ENGINE=InnoDB", or FORCE): a copy
        // of the table as it is, which defragments it and rebuilds its indexes.
        if (engine == DatabaseEngine.MySql && (Peek("ENGINE") || Peek("FORCE")))
        {
            if (Accept("FORCE"))
                return table => table.ForceCopy();
            p++;
            _ = Accept('=');
            if (p >= t.Count || t[p].Kind is not (SqlTokenKind.Word or SqlTokenKind.Quoted or SqlTokenKind.String))
                throw Refuse(Text(start, Math.Min(p + 1, t.Count)), "has no value");
            var storage = t[p++].Text.Trim('\'', '"', '`');
            if (!storage.Equals("InnoDB", StringComparison.OrdinalIgnoreCase))
                throw Refuse(Text(start, p), "moves the table to another storage engine; Swap copies InnoDB tables into InnoDB (ENGINE=InnoDB rebuilds one). Run it without '-- swap:online'");
            return table => table.ForceCopy();
        }
        // The table option AUTO_INCREMENT [=] n: the next id the table hands out (MySQL's own floor,
        // the largest id + 1, still holds). PostgreSQL and SQLite have no such option.
        if (Peek("AUTO_INCREMENT"))
        {
            p++;
            _ = Accept('=');
            if (engine != DatabaseEngine.MySql)
                throw Refuse(Text(start, Math.Min(p + 1, t.Count)), engine == DatabaseEngine.PostgreSql
                    ? "is MySQL's table option; PostgreSQL numbers rows from a sequence: run ALTER SEQUENCE <sequence> RESTART WITH n (or SELECT setval(...)) in a script without '-- swap:online'"
                    : "is MySQL's table option; SQLite numbers AUTOINCREMENT rows from sqlite_sequence: update its row for the table in a script without '-- swap:online'");
            if (p >= t.Count || t[p].Kind != SqlTokenKind.Number || !ulong.TryParse(t[p].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var next))
                throw Refuse(Text(start, Math.Min(p + 1, t.Count)), "needs a whole number (AUTO_INCREMENT = 1000)");
            p++;
            return table => table.SetAutoIncrement(next);
        }
        // MySQL's CONVERT TO CHARACTER SET x [COLLATE y]: the server converts the copy (gh-ost's convert-utf8mb4).
        if (engine == DatabaseEngine.MySql && Peek("CONVERT") && Peek("TO", 1))
        {
            p += 2;
            if (!(Peek("CHARACTER") && Peek("SET", 1)) && !Peek("CHARSET"))
                throw Refuse(Text(start, Math.Min(p + 1, t.Count)), "expected CHARACTER SET and its name here");
            var clause = CharsetClause(start);
            if (Peek("COLLATE"))
                clause += " " + CharsetClause(start);
            return table => table.ConvertCharacterSet(clause);
        }
        if (Accept("ADD"))
        {
            // Without this, MySQL's ADD FULLTEXT INDEX ft (c) would be read as ADD COLUMN `FULLTEXT` of
            // type INDEX ft (c). CHECK is reserved everywhere; the others only on MySQL/MariaDB (PostgreSQL
            // takes a column named fulltext or partition), and MariaDB's PERIOD FOR and SYSTEM VERSIONING
            // are two words (a column may be named period or system).
            if (Accept("CHECK"))
                return Check(null, start);
            if ((engine == DatabaseEngine.MySql && (MySqlNotAColumn.Any(w => Peek(w)) || (Peek("PERIOD") && Peek("FOR", 1)) || (Peek("SYSTEM") && Peek("VERSIONING", 1)))))
                throw Refuse(Text(start, Peek("PERIOD") || Peek("SYSTEM") ? p + 2 : p + 1), "is not a clause Swap runs online (it runs ADD/DROP/RENAME/MODIFY/CHANGE/ALTER COLUMN, ADD/DROP INDEX, KEY, UNIQUE, PRIMARY KEY, CONSTRAINT, FOREIGN KEY and CHECK); run it in a script without '-- swap:online', or leave it out");
            if (Accept("INDEX") || Accept("KEY"))
                return AddIndex(unique: false, start);
            if (Accept("UNIQUE"))
            {
                _ = Accept("INDEX") || Accept("KEY");
                return AddIndex(unique: true, start);
            }
            if (Accept("PRIMARY"))
            {
                Expect("KEY", start);
                var columns = ColumnList();
                primaryKeyAdded = true;
                return table => table.SetPrimaryKey([.. columns.Select(c => c.Name)]);
            }
            if (Accept("CONSTRAINT"))
            {
                var name = Name("the constraint");
                if (Accept("UNIQUE"))
                {
                    _ = Accept("INDEX") || Accept("KEY");
                    var columns = ColumnList();
                    return table => table.AddIndex(Index(columns, unique: true).Named(name));
                }
                if (Accept("FOREIGN"))
                    return ForeignKey(name, start);
                if (Accept("CHECK"))
                    return Check(name, start);
                if (Accept("PRIMARY"))
                {
                    Expect("KEY", start);
                    var columns = ColumnList();
                    primaryKeyAdded = true;
                    return table => table.SetPrimaryKey([.. columns.Select(c => c.Name)]);
                }
                throw Refuse(Text(start, Math.Min(p + 1, t.Count)), "adds a kind of constraint Swap does not run online (it runs UNIQUE, PRIMARY KEY, FOREIGN KEY and CHECK); use a C# script, or run it without '-- swap:online'");
            }
            if (Accept("FOREIGN"))
                return ForeignKey(null, start);
            _ = Accept("COLUMN");
            if (Peek("IF"))
                throw Refuse(Text(start, p + 3), "uses IF NOT EXISTS, which an online change cannot honour halfway; remove it");
            if (engine == DatabaseEngine.MySql && Accept('('))
                return AddColumns(start);
            return AddColumn(start);
        }
        if (Accept("DROP"))
        {
            if (Accept("INDEX") || Accept("KEY"))
            {
                var name = Name("the index");
                return table => table.DropIndex(name);
            }
            if (Accept("FOREIGN"))
            {
                Expect("KEY", start);
                var name = Name("the foreign key");
                return table => table.DropForeignKey(name);
            }
            if (Accept("CHECK"))
            {
                var name = Name("the check constraint");
                return table => table.DropCheck(name);
            }
            if (Accept("CONSTRAINT"))
            {
                var name = Name("the constraint");
                return table =>
                {
                    if (table.IndexNames.Contains(name, StringComparer.OrdinalIgnoreCase))
                        table.DropIndex(name);
                    else if (table.CheckNames.Contains(name, StringComparer.OrdinalIgnoreCase))
                        table.DropCheck(name);
                    else
                        table.DropForeignKey(name);
                };
            }
            if (Accept("PRIMARY"))
            {
                Expect("KEY", start);
                primaryKeyDropped = Text(start, p);
                // Read when the edits run, after the whole statement was parsed.
                return table =>
                {
                    if (!primaryKeyAdded)
                        table.DropPrimaryKey();
                };
            }
            _ = Accept("COLUMN");
            if (Peek("IF"))
                throw Refuse(Text(start, p + 2), "uses IF EXISTS, which an online change cannot honour halfway; remove it");
            var column = Name("the column");
            if (Peek("CASCADE") || Peek("RESTRICT"))
                throw Refuse(Text(start, p + 1), "uses CASCADE or RESTRICT; remove it (Swap refuses a change that would break dependants)");
            return table => table.DropColumn(column);
        }
        if (Accept("RENAME"))
        {
            // PostgreSQL's RENAME [COLUMN] a TO b; without COLUMN, MySQL renames the table.
            if (Accept("COLUMN") || (engine == DatabaseEngine.PostgreSql && p + 1 < t.Count && t[p].IsName && !t[p].Is("TO") && !t[p].Is("CONSTRAINT") && t[p + 1].Is("TO")))
            {
                var from = Name("the column");
                Expect("TO", start);
                var to = Name("the new name");
                return table => table.RenameColumn(from, to);
            }
            throw Refuse(Text(start, Math.Min(p + 2, t.Count)), "renames something other than a column; rename tables and indexes with plain SQL or a C# script");
        }
        if (Accept("MODIFY"))
        {
            _ = Accept("COLUMN");
            var name = Name("the column");
            return Redefine(name, name, start);
        }
        if (Accept("CHANGE"))
        {
            _ = Accept("COLUMN");
            var from = Name("the column");
            var to = Name("the new name");
            return Redefine(from, to, start);
        }
        if (Accept("ALTER"))
        {
            _ = Accept("COLUMN");
            var name = Name("the column");
            if (Accept("SET"))
            {
                if (Accept("DEFAULT"))
                {
                    var value = Expression();
                    return table => SetDefault(table.GetColumn(name), value);
                }
                if (Accept("NOT"))
                {
                    Expect("NULL", start);
                    return table => table.GetColumn(name).SetNullable(false);
                }
                if (Accept("DATA"))
                {
                    Expect("TYPE", start);
                    return RetypeTo(name, start);
                }
            }
            else if (Accept("DROP"))
            {
                if (Accept("DEFAULT"))
                    return table => table.GetColumn(name).DropDefault();
                if (Accept("NOT"))
                {
                    Expect("NULL", start);
                    return table => table.GetColumn(name).SetNullable(true);
                }
            }
            else if (Accept("TYPE"))
            {
                return RetypeTo(name, start);
            }
            throw Refuse(Text(start, Math.Min(p + 1, t.Count)), "is an ALTER COLUMN form Swap does not run online (it runs SET/DROP DEFAULT, SET/DROP NOT NULL and TYPE)");
        }
        throw Refuse(Text(start, Math.Min(start + 2, t.Count)), "is not a clause Swap runs online (it runs ADD/DROP/RENAME/MODIFY/CHANGE/ALTER COLUMN, ADD/DROP INDEX, KEY, UNIQUE, PRIMARY KEY, CONSTRAINT and FOREIGN KEY)");
    }

    /// <summary>
    /// <c>CHECK (expression)</c> after <c>ADD [CONSTRAINT name]</c>: the expression as written (the
    /// engine's own SQL), named <c>ck_&lt;table&gt;_&lt;n&gt;</c> when the clause names none. MySQL's
    /// <c>ENFORCED</c> is the default and read; <c>NOT ENFORCED</c> and PostgreSQL's <c>NOT VALID</c>
    /// (which would leave existing rows unchecked) are refused.
    /// </summary>
    private Action<DbTable> Check(string? name, int start)
    {
        if (!Peek('('))
            throw Refuse(Text(start, Math.Min(p + 1, t.Count)), "expected '(' and the check's expression here");
        var open = p;
        SkipParens();
        if (!t[p - 1].IsPunct(')') || p - 1 == open + 1)
            throw Refuse(Text(start, p), "has no expression in its parentheses");
        var expression = sql[t[open + 1].Start..t[p - 1].Start].Trim();
        if (Peek("NOT") && (Peek("ENFORCED", 1) || Peek("VALID", 1)))
            throw Refuse(Text(start, p + 2), "leaves existing rows unchecked; Swap checks every row (a row that fails is named and nothing changes). Remove NOT ENFORCED / NOT VALID, or run it without '-- swap:online'");
        _ = Accept("ENFORCED");
        // MariaDB names a CHECK added without a name CONSTRAINT_n, the first n free in the table.
        return table => table.AddCheck(name ?? (engine == DatabaseEngine.MySql ? NativeCheckName(table) : table.NextCheckName()), expression);
    }

    private static string NativeCheckName(DbTable table)
    {
        for (var n = 1; ; n++)
        {
            var name = "CONSTRAINT_" + n.ToString(CultureInfo.InvariantCulture);
            if (!table.CheckNames.Contains(name, StringComparer.OrdinalIgnoreCase))
                return name;
        }
    }

    private Action<DbTable> RetypeTo(string name, int start)
    {
        var type = TypeText(start);
        if (Peek("USING"))
            throw Refuse(Text(start, t.Count), "converts with USING; Swap converts with a cast. Add a new column filled with your expression in a C# script instead");
        return table => table.GetColumn(name).SetType(ColumnType.NativeType(type));
    }

    private Action<DbTable> AddColumn(int start)
    {
        var name = Name("the column");
        var type = TypeText(start);
        var options = ColumnOptions(start, allowPosition: true);
        type += options.Charset + (options.Invisible ? " INVISIBLE" : "");
        return table => AddColumn(table, name, type, options);
    }

    /// <summary>MySQL's <c>ADD [COLUMN] (a INT, b INT …)</c>: several columns, each added as <c>ADD COLUMN</c> would, in order (no FIRST/AFTER there, as in MySQL).</summary>
    private Action<DbTable> AddColumns(int start)
    {
        var columns = new List<Action<DbTable>>();
        do
        {
            if (Peek("INDEX") || Peek("KEY") || Peek("UNIQUE") || Peek("PRIMARY") || Peek("CONSTRAINT") || Peek("FOREIGN") || Peek("CHECK") || MySqlNotAColumn.Any(w => Peek(w)))
                throw Refuse(Text(start, Math.Min(p + 1, t.Count)), "puts a key or constraint in the column list; add it in a clause of its own (ADD INDEX ..., ADD CONSTRAINT ...)");
            var from = p;
            var name = Name("the column");
            var type = TypeText(start);
            var options = ColumnOptions(from, allowPosition: false);
            type += options.Charset + (options.Invisible ? " INVISIBLE" : "");
            columns.Add(table => AddColumn(table, name, type, options));
        }
        while (Accept(','));
        Expect(')', start);
        return table => columns.ForEach(add => add(table));
    }

    private static void AddColumn(DbTable table, string name, string type, ColumnOptionSet options)
    {
        var column = DbColumn.Of(name, ColumnType.NativeType(type)).SetNullable(options.Nullable ?? true);
        if (options.Default is not null)
            SetDefault(column, options.Default);
        if (options.Generated is { } expression)
            column.GeneratedAs(expression, options.Stored);
        if (options.Comment is { } comment)
            column.SetCommentSql(comment);
        table.AddColumn(column, options.After, options.First);
    }

    /// <summary>
    /// MySQL's MODIFY / CHANGE: the whole definition is restated; what it leaves out is gone (a
    /// default, NOT NULL, AUTO_INCREMENT, ON UPDATE, INVISIBLE, COMMENT, the column's own CHECK, a
    /// character set of its own), as the server's own ALTER leaves the column.
    /// </summary>
    private Action<DbTable> Redefine(string from, string to, int start)
    {
        var type = TypeText(start);
        // MySQL's MODIFY / CHANGE may move the column (FIRST, AFTER c): the table is then copied in the new order.
        var options = ColumnOptions(start, allowPosition: engine == DatabaseEngine.MySql, restating: engine == DatabaseEngine.MySql);
        var clause = Text(start, p);
        type += options.Charset;
        var (nullable, defaultSql) = (options.Nullable, options.Default);
        return table =>
        {
            // The column takes the name as written, its letter case too (MODIFY C2 INT over c2 renames
            // it C2, as MySQL and MariaDB do; CHANGE c2 C2 INT likewise).
            if (!string.Equals(table.GetColumn(from).Name, to, StringComparison.Ordinal))
                table.RenameColumn(from, to);
            var column = table.GetColumn(to);
            // MariaDB refuses MODIFY c INT on a generated column (1907) and InnoDB numbering rows that had
            // their own values is not an online change: Swap refuses both rather than keep the old definition.
            if (column.Original?.Generated is not null && options.Generated is null)
                throw new SwapException(SwapErrorKind.Refused, $"'{clause}' restates generated column {column.OriginalName} without its expression (AS (...)); MySQL/MariaDB refuse this too. Restate the expression, or drop the column and add a plain one");
            if (options.AutoIncrement && column.Original?.AutoIncrement != true)
                throw new SwapException(SwapErrorKind.Refused, $"'{clause}' makes {column.OriginalName} AUTO_INCREMENT; Swap keeps (restated) or drops (left out) an existing AUTO_INCREMENT online but does not add one. Run it without '-- swap:online'");
            if (engine == DatabaseEngine.MySql)
                column.Restate(new ColumnRestatement(options.AutoIncrement, options.OnUpdate, options.Invisible, options.Check));
            // The type restated as it was (INT for int(11)) is no type change: MODIFY c INT NOT NULL
            // changes only NULL, and the plan must say so, not "changing the type of c".
            if (column.Original is not { } was || !SameType(was.NativeType, type))
                column.SetType(ColumnType.NativeType(type));
            column.SetNullable(nullable ?? true);
            if (defaultSql is null)
                column.DropDefault();
            else
                SetDefault(column, defaultSql);
            if (options.Generated is { } expression)
                column.GeneratedAs(expression, options.Stored);
            if (options.Comment is { } comment)
                column.SetCommentSql(comment);
            if (options.First || options.After is not null)
                table.MoveColumn(to, options.After, options.First);
        };
    }

    /// <summary>
    /// True when <paramref name="restated"/> names the type <paramref name="native"/> already is, as
    /// MySQL prints it: letter case and spaces aside, an integer's display width aside
    /// (<c>int(11)</c> is <c>INT</c>), <c>INTEGER</c> for <c>INT</c>; never for a character type.
    /// Anything else counts as a change.
    /// </summary>
    internal static bool SameType(string native, string restated) =>
        TypeKey(native) is var key && key == TypeKey(restated)
        // A character type restated without its CHARACTER SET or COLLATE takes the table's: that is a change.
        && !new[] { "char", "text", "enum", "set", "binary", "blob", "json" }.Any(t => key.Contains(t, StringComparison.Ordinal));

    private static string TypeKey(string type)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(type.Trim().ToLowerInvariant(), @"\s+", " ");
        text = System.Text.RegularExpressions.Regex.Replace(text, @"\binteger\b", "int");
        return System.Text.RegularExpressions.Regex.Replace(text, @"\b(tinyint|smallint|mediumint|int|bigint)\s*\(\s*\d+\s*\)", "$1");
    }

    /// <summary>
    /// A DEFAULT written as a plain literal ('text', 42, -1.5, TRUE, FALSE) becomes the value it
    /// is, exactly as <c>SetDefault(value)</c> in C#, so the planner treats both scripts alike (a
    /// constant default can be instant); anything else stays an SQL expression.
    /// </summary>
    internal static void SetDefault(DbColumn column, string sql)
    {
        var text = sql.Trim();
        if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'' && !text[1..^1].Replace("''", "", StringComparison.Ordinal).Contains('\'') && !text.Contains('\\'))
            column.SetDefault(text[1..^1].Replace("''", "'", StringComparison.Ordinal));
        else if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var whole))
            column.SetDefault(whole);
        else if (decimal.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var number))
            column.SetDefault(number);
        else if (text.Equals("TRUE", StringComparison.OrdinalIgnoreCase) || text.Equals("FALSE", StringComparison.OrdinalIgnoreCase))
            column.SetDefault(text.Equals("TRUE", StringComparison.OrdinalIgnoreCase));
        else
            column.SetDefaultSql(text);
    }

    /// <summary>What a column definition says after its type.</summary>
    /// <param name="Charset">MySQL's CHARACTER SET / COLLATE, to append to the type (empty when none).</param>
    /// <param name="Comment">MySQL's COMMENT, as the string literal written.</param>
    /// <param name="Generated">The expression of <c>[GENERATED ALWAYS] AS (...)</c>.</param>
    /// <param name="Stored">STORED (PERSISTENT on MariaDB) rather than VIRTUAL.</param>
    /// <param name="AutoIncrement">MODIFY / CHANGE only: AUTO_INCREMENT.</param>
    /// <param name="OnUpdate">MODIFY / CHANGE only: the <c>ON UPDATE ...</c> clause as written.</param>
    /// <param name="Invisible">INVISIBLE (VISIBLE is the default).</param>
    /// <param name="Check">MODIFY / CHANGE only: the column's own <c>CHECK (...)</c> as written.</param>
    private sealed record ColumnOptionSet(bool? Nullable, string? Default, string? After, bool First, string Charset, string? Comment, string? Generated, bool Stored,
        bool AutoIncrement, string? OnUpdate, bool Invisible, string? Check);

    /// <param name="start">The clause's first token, for messages.</param>
    /// <param name="allowPosition">FIRST and AFTER are allowed.</param>
    /// <param name="restating">MySQL's MODIFY / CHANGE: AUTO_INCREMENT, ON UPDATE and a column CHECK are allowed (restated or gone).</param>
    private ColumnOptionSet ColumnOptions(int start, bool allowPosition, bool restating = false)
    {
        var autoIncrement = false;
        string? onUpdate = null;
        var invisible = false;
        string? check = null;
        bool? nullable = null;
        string? defaultSql = null;
        string? after = null;
        var first = false;
        var charset = "";
        string? comment = null;
        string? generated = null;
        var stored = false;
        while (p < t.Count && !t[p].IsPunct(',') && !t[p].IsPunct(')'))
        {
            var at = p;
            if (engine == DatabaseEngine.MySql && Accept("COMMENT"))
            {
                if (p >= t.Count || t[p].Kind != SqlTokenKind.String)
                    throw Refuse(Text(at, Math.Min(p + 1, t.Count)), "has no text (COMMENT 'text')");
                comment = t[p++].Text;
                continue;
            }
            // A generated column: MySQL/MariaDB's [GENERATED ALWAYS] AS (expr) [VIRTUAL | STORED | PERSISTENT],
            // PostgreSQL's GENERATED ALWAYS AS (expr) STORED, SQLite's either way. An identity is not one.
            if ((Peek("GENERATED") && Peek("ALWAYS", 1) && Peek("AS", 2) && Peek('(', 3)) || (engine != DatabaseEngine.PostgreSql && Peek("AS") && Peek('(', 1)))
            {
                p += Peek("GENERATED") ? 3 : 1;
                var open = p;
                SkipParens();
                if (!t[p - 1].IsPunct(')') || p - 1 == open + 1)
                    throw Refuse(Text(at, p), "has no expression in its parentheses");
                generated = sql[t[open + 1].Start..t[p - 1].Start].Trim();
                stored = engine == DatabaseEngine.PostgreSql;
                if (Accept("STORED") || (engine == DatabaseEngine.MySql && Accept("PERSISTENT")))
                    stored = true;
                else if (engine != DatabaseEngine.PostgreSql && Accept("VIRTUAL"))
                    stored = false;
                continue;
            }
            // MySQL's CHARACTER SET / CHARSET / COLLATE belong to a character type: they go with it,
            // wherever among the options they are written.
            if (engine == DatabaseEngine.MySql && ((Peek("CHARACTER") && Peek("SET", 1)) || Peek("CHARSET") || Peek("COLLATE")))
            {
                charset += " " + CharsetClause(start);
                continue;
            }
            if (engine == DatabaseEngine.MySql && (Peek("INVISIBLE") || Peek("VISIBLE")))
            {
                invisible = t[p++].Is("INVISIBLE");
                continue;
            }
            if (restating && Accept("AUTO_INCREMENT"))
            {
                autoIncrement = true;
                continue;
            }
            if (restating && Peek("ON") && Peek("UPDATE", 1))
            {
                p += 2;
                onUpdate = "ON UPDATE " + Expression();
                continue;
            }
            if (restating && Peek("CHECK") && Peek('(', 1))
            {
                p++;
                var open = p;
                SkipParens();
                check = "CHECK " + sql[t[open].Start..(t[p - 1].Start + 1)];
                continue;
            }
            if (Accept("NOT"))
            {
                Expect("NULL", start);
                nullable = false;
            }
            else if (Accept("NULL"))
            {
                nullable = true;
            }
            else if (Accept("DEFAULT"))
            {
                defaultSql = Expression();
            }
            else if (allowPosition && Accept("FIRST"))
            {
                first = true;
            }
            else if (allowPosition && Accept("AFTER"))
            {
                after = Name("the column to add after");
            }
            else
            {
                throw Refuse(Text(at, at + 1 < t.Count && !t[at + 1].IsPunct(')') && !t[at + 1].IsPunct(',') ? at + 2 : at + 1), $"in '{Text(start, ClauseEnd(start))}' is a column option Swap does not run online (it runs {OptionList(allowPosition, restating)}); use a C# script with the table engineer");
            }
        }
        if (generated is not null && defaultSql is not null)
            throw Refuse(Text(start, ClauseEnd(start)), "is generated and has a DEFAULT; a generated column takes none");
        return new ColumnOptionSet(nullable, defaultSql, after, first, charset, comment, generated, stored, autoIncrement, onUpdate, invisible, check);
    }

    /// <summary>The column options Swap runs online on this engine, for messages.</summary>
    private string OptionList(bool allowPosition, bool restating)
    {
        List<string> options = ["NULL", "NOT NULL", "DEFAULT", "GENERATED ALWAYS AS"];
        if (allowPosition)
            options.AddRange(["FIRST", "AFTER"]);
        if (engine == DatabaseEngine.MySql)
            options.AddRange(["CHARACTER SET", "COLLATE", "COMMENT", "INVISIBLE"]);
        if (restating)
            options.AddRange(["AUTO_INCREMENT", "ON UPDATE", "CHECK"]);
        return string.Join(", ", options.SkipLast(1)) + " and " + options[^1];
    }

    /// <summary><c>CHARACTER SET x</c>, <c>CHARSET x</c> or <c>COLLATE x</c> (a quoted name unquoted), as the type's text takes it.</summary>
    private string CharsetClause(int start)
    {
        var from = p;
        var keyword = Accept("COLLATE") ? "COLLATE" : "CHARACTER SET";
        if (keyword != "COLLATE" && !Accept("CHARSET"))
        {
            p += 2;
        }
        _ = Accept('=');
        if (p >= t.Count || t[p].Kind is not (SqlTokenKind.Word or SqlTokenKind.Quoted or SqlTokenKind.String))
            throw Refuse(Text(from, Math.Min(p + 1, t.Count)), "has no name");
        var name = t[p].Kind == SqlTokenKind.Word ? t[p].Text : t[p].Text.Trim('\'', '"', '`');
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            throw Refuse(Text(from, p + 1), "names no character set or collation");
        p++;
        return $"{keyword} {name}";
    }

    private Action<DbTable> AddIndex(bool unique, int start)
    {
        string? name = Peek('(') ? null : Name("the index");
        if (Peek("USING"))
            throw Refuse(Text(start, p + 2), "names an index method; Swap builds the engine's default index");
        var columns = ColumnList();
        return table =>
        {
            var index = Index(columns, unique);
            table.AddIndex(name is not null ? index.Named(name) : engine == DatabaseEngine.MySql ? index.Named(NativeIndexName(table, columns[0].Name)) : index);
        };
    }

    /// <summary>
    /// The name MySQL/MariaDB give an index added without one: its first column's name as the table
    /// has it, or on a clash with an index of the table (or with PRIMARY) that name with _2, _3 ...
    /// (the server's make_unique_key_name), so the swapped-in table has the native ALTER's names.
    /// </summary>
    private static string NativeIndexName(DbTable table, string firstColumn)
    {
        var column = table.GetColumn(firstColumn).Name;
        bool Taken(string name) => name.Equals("PRIMARY", StringComparison.OrdinalIgnoreCase) || table.IndexNames.Contains(name, StringComparer.OrdinalIgnoreCase);
        if (!Taken(column))
            return column;
        for (var n = 2; ; n++)
        {
            var name = column + "_" + n.ToString(CultureInfo.InvariantCulture);
            if (!Taken(name))
                return name;
        }
    }

    private Action<DbTable> ForeignKey(string? name, int start)
    {
        Expect("KEY", start);
        var columns = ColumnList().Select(c => c.Name).ToArray();
        Expect("REFERENCES", start);
        var parent = Name("the referenced table");
        var parentColumns = ColumnList().Select(c => c.Name).ToArray();
        string? onDelete = null, onUpdate = null;
        while (Accept("ON"))
        {
            if (Accept("DELETE"))
                onDelete = Action(start);
            else if (Accept("UPDATE"))
                onUpdate = Action(start);
            else
                throw Refuse(Text(start, p + 1), "has an ON clause other than ON DELETE / ON UPDATE");
        }
        return table =>
        {
            var fk = DbForeignKey.Create(columns, parent, parentColumns);
            if (name is not null)
                fk.Named(name);
            if (onDelete is not null)
                fk.OnDelete(onDelete);
            if (onUpdate is not null)
                fk.OnUpdate(onUpdate);
            table.AddForeignKey(fk);
        };
    }

    private string Action(int start)
    {
        foreach (var words in new[] { new[] { "CASCADE" }, ["RESTRICT"], ["SET", "NULL"], ["SET", "DEFAULT"], ["NO", "ACTION"] })
        {
            if (words.Select((w, i) => Peek(w, i)).All(b => b))
            {
                p += words.Length;
                return string.Join(' ', words);
            }
        }
        throw Refuse(Text(start, Math.Min(p + 1, t.Count)), "has a referential action Swap does not know (CASCADE, RESTRICT, SET NULL, SET DEFAULT, NO ACTION)");
    }

    private TableEdit CreateIndex()
    {
        var start = p;
        p++;
        var unique = Accept("UNIQUE");
        Expect("INDEX", start);
        _ = Accept("CONCURRENTLY");
        if (Peek("IF"))
            throw Refuse(Text(start, p + 3), "uses IF NOT EXISTS; remove it (Swap refuses a name that exists)");
        var name = Name("the index");
        Expect("ON", start);
        _ = Accept("ONLY");
        var table = Name("the table");
        if (Peek("USING"))
            throw Refuse(Text(start, p + 2), "names an index method; Swap builds the engine's default index");
        var columns = ColumnList();
        if (p < t.Count)
            throw Refuse(Text(p, t.Count), "follows the column list (a partial or covering index); create it with plain SQL");
        return new TableEdit(table, null, Text(start, p), tbl => tbl.AddIndex(Index(columns, unique).Named(name)));
    }

    private TableEdit DropIndex()
    {
        var start = p;
        p += 2;
        _ = Accept("CONCURRENTLY");
        if (Peek("IF"))
            throw Refuse(Text(start, p + 2), "uses IF EXISTS; remove it");
        var name = Name("the index");
        string? table = null;
        if (Accept("ON"))
            table = Name("the table");
        if (p < t.Count)
            throw Refuse(Text(p, t.Count), "is not understood after DROP INDEX");
        return new TableEdit(table, name, Text(start, p), tbl => tbl.DropIndex(name));
    }

    private static DbIndex Index(List<(string Name, int? Prefix)> columns, bool unique)
    {
        var names = columns.Select(c => c.Name).ToArray();
        var index = unique ? DbIndex.Unique(names) : DbIndex.Create(names);
        foreach (var (name, prefix) in columns.Where(c => c.Prefix is not null))
            index.WithPrefix(name, prefix!.Value);
        return index;
    }

    private List<(string Name, int? Prefix)> ColumnList()
    {
        var start = p;
        Expect('(', start);
        var columns = new List<(string, int?)>();
        do
        {
            var name = Name("a column");
            int? prefix = null;
            if (Accept('('))
            {
                if (p >= t.Count || t[p].Kind != SqlTokenKind.Number)
                    throw Refuse(Text(start, Math.Min(p + 1, t.Count)), "indexes an expression; Swap indexes columns (with an optional prefix length)");
                prefix = int.Parse(t[p++].Text, CultureInfo.InvariantCulture);
                Expect(')', start);
            }
            if (Peek("ASC") || Peek("DESC") || Peek("COLLATE") || (p < t.Count && !t[p].IsPunct(',') && !t[p].IsPunct(')')))
                throw Refuse(Text(start, Math.Min(p + 1, t.Count)), "gives a column an order, collation or expression; Swap indexes plain columns");
            columns.Add((name, prefix));
        }
        while (Accept(','));
        Expect(')', start);
        return columns;
    }

    /// <summary>A type as written (<c>VARCHAR(100)</c>, <c>DOUBLE PRECISION</c>, <c>INT UNSIGNED</c>), up to the first column option.</summary>
    private string TypeText(int start)
    {
        var from = p;
        while (p < t.Count && !t[p].IsPunct(',') && !t[p].IsPunct(')') && !(t[p].Kind == SqlTokenKind.Word && ColumnClauseEnd.Contains(t[p].Text, StringComparer.OrdinalIgnoreCase) && p > from) && !Peek("USING"))
        {
            if (t[p].IsPunct('('))
                SkipParens();
            else
                p++;
        }
        if (p == from)
            throw Refuse(Text(start, Math.Min(p + 1, t.Count)), "has no column type");
        return Text(from, p);
    }

    /// <summary>A default: a literal, a signed number, a word (CURRENT_TIMESTAMP, TRUE), a call or a parenthesized expression.</summary>
    private string Expression()
    {
        var from = p;
        if (p >= t.Count)
            throw Refuse("DEFAULT", "has no value");
        if (t[p].IsPunct('('))
        {
            SkipParens();
        }
        else
        {
            p++;
            if (p < t.Count && t[p].IsPunct('('))
                SkipParens();
            while (p < t.Count && t[p].IsPunct(':') && p + 1 < t.Count && t[p + 1].IsPunct(':'))
            {
                // PostgreSQL casts in defaults: 'x'::text, 'x'::character varying, '...'::timestamp(6) without time zone
                p += 2;
                var type = p;
                while (p < t.Count && t[p].IsName && (p == type || !ColumnClauseEnd.Contains(t[p].Text, StringComparer.OrdinalIgnoreCase)))
                {
                    p++;
                    if (p < t.Count && t[p].IsPunct('('))
                        SkipParens();
                }
            }
        }
        return Text(from, p);
    }

    private void SkipParens()
    {
        var depth = 0;
        do
        {
            if (t[p].IsPunct('('))
                depth++;
            else if (t[p].IsPunct(')'))
                depth--;
            p++;
        }
        while (p < t.Count && depth > 0);
    }

    private int ClauseEnd(int start)
    {
        var i = start;
        var depth = 0;
        while (i < t.Count && !(depth == 0 && (t[i].IsPunct(',') || t[i].IsPunct(')'))))
        {
            if (t[i].IsPunct('('))
                depth++;
            else if (t[i].IsPunct(')'))
                depth--;
            i++;
        }
        return i;
    }

    private string Name(string what)
    {
        if (p >= t.Count || !t[p].IsName)
            throw Refuse(p < t.Count ? t[p].Raw : "the end of the statement", $"stands where {what} was expected");
        var token = t[p++];
        var name = token.Kind == SqlTokenKind.Word && engine == DatabaseEngine.PostgreSql ? FoldPostgres(token.Text) : token.Text;
        // schema.table: Swap works in the connection's schema.
        if (p < t.Count && t[p].IsPunct('.'))
            throw Refuse(name + "." + (p + 1 < t.Count ? t[p + 1].Raw : ""), "is qualified with a schema; Swap changes tables of the database (or schema) in --db, so write the name alone");
        return name;
    }

    /// <summary>PostgreSQL's folding of an unquoted identifier: ASCII letters to lower case, nothing else.</summary>
    private static string FoldPostgres(string name) =>
        string.Create(name.Length, name, (span, n) =>
        {
            for (var i = 0; i < n.Length; i++)
                span[i] = n[i] is >= 'A' and <= 'Z' ? (char)(n[i] + ('a' - 'A')) : n[i];
        });

    private bool Peek(string word, int ahead = 0) => p + ahead < t.Count && t[p + ahead].Is(word);

    private bool Peek(char c) => p < t.Count && t[p].IsPunct(c);

    private bool Peek(char c, int ahead) => p + ahead < t.Count && t[p + ahead].IsPunct(c);

    private bool Accept(string word)
    {
        if (!Peek(word))
            return false;
        p++;
        return true;
    }

    private bool Accept(char c)
    {
        if (!Peek(c))
            return false;
        p++;
        return true;
    }

    private void Expect(string word, int start)
    {
        if (!Accept(word))
            throw Refuse(Text(start, Math.Min(p + 1, t.Count)), $"expected {word} here");
    }

    private void Expect(char c, int start)
    {
        if (!Accept(c))
            throw Refuse(Text(start, Math.Min(p + 1, t.Count)), $"expected '{c}' here");
    }

    private string Text(int from, int to)
    {
        var sb = new StringBuilder();
        for (var i = from; i < to && i < t.Count; i++)
        {
            var token = t[i];
            var glue = i == from || token.IsPunct(')') || token.IsPunct(',') || token.IsPunct('(') && t[i - 1].Kind == SqlTokenKind.Word && !ColumnClauseEnd.Contains(t[i - 1].Text, StringComparer.OrdinalIgnoreCase)
                || t[i - 1].IsPunct('(') || token.IsPunct(':') || t[i - 1].IsPunct(':');
            if (!glue)
                sb.Append(' ');
            sb.Append(token.Kind == SqlTokenKind.Quoted ? token.Raw : token.Raw);
        }
        return sb.ToString();
    }

    private static OnlineDdlException Refuse(string clause, string why) => new($"'{clause}' {why}");
}
