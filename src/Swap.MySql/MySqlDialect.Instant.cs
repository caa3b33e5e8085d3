using Swap.Instant;
using MySqlConnector;
using Swap.MySql.Internal;

namespace Swap.MySql;

/// <summary>
/// MariaDB 10.4+ and MySQL 8.0.29+ add (at any position), drop and rename columns and change
/// defaults with <c>ALGORITHM=INSTANT</c>; MariaDB also widens a VARCHAR within its length-byte
/// class and appends ENUM values. Indexes are added and dropped with
/// <c>ALGORITHM=INPLACE, LOCK=NONE</c>. The server itself refuses an algorithm it cannot honour
/// (older versions, MySQL for a VARCHAR widening, which it does in place only, a table format
/// without instant columns), and Swap then copies.
/// </summary>
internal sealed partial class MySqlDialect
{
    internal override ChangePlan PlanChange(TableDiff diff)
    {
        if (diff.NeedsCopy is { } why)
            return ChangePlan.Copy(why);
        if (diff.NullDropped.Count > 0)
            return ChangePlan.Copy("MySQL rebuilds the table to make a column nullable");
        if (TriggerUsingChangedColumn(diff) is { } used)
            return ChangePlan.Copy(used);
        if (ViewUsingChangedColumn(diff) is { } read)
            return ChangePlan.Copy(read);
        if (diff.ForeignKeysAdded.Count > 0)
            return ChangePlan.Copy("MySQL/MariaDB check a new foreign key over every row under a lock (or not at all, with foreign_key_checks off); the copy gets it and is verified");
        if (diff.ChecksAdded.Count > 0)
            return ChangePlan.Copy("MySQL/MariaDB add a CHECK only by copying the table with writes blocked (ALGORITHM=COPY); the copy gets it, and a row that fails it is named before anything changes");
        // InnoDB clusters a table without a primary key by its first unique index over NOT NULL
        // columns, and refuses to drop that index in place. Planned as a copy here rather than found
        // out after the column changes of this plan have committed.
        if (diff.Original.PrimaryKey.Count == 0 && diff.IndexesDropped.FirstOrDefault(diff.Original.CanKey) is { } clustering)
            return ChangePlan.Copy($"InnoDB keys a table without a primary key by a unique index over NOT NULL columns, and dropping such an index ({clustering.Name}) rebuilds the table");
        var t = Quote(diff.Original.Name);
        var clauses = diff.ChecksDropped.Select(c => $"DROP CONSTRAINT {Quote(c.Name)}").ToList();
        foreach (var (c, after) in diff.Added)
        {
            if (!c.Nullable && c.DefaultSql is null)
                return ChangePlan.Copy($"new column {c.Name} is NOT NULL without a default");
            var position = after is null ? " FIRST" : " AFTER " + Quote(after);
            clauses.Add($"ADD COLUMN {Quote(c.Name)} {TypeSql(c.Type!)} {(c.Nullable ? "NULL" : "NOT NULL")}{(DefaultSql(c) is { } d ? " DEFAULT " + d : "")}{(c.CommentSql is { } note ? " COMMENT " + note : "")}{position}");
        }
        clauses.AddRange(diff.Dropped.Select(c => $"DROP COLUMN {Quote(c.Name)}"));
        // A column retyped in place keeps its default in its MODIFY clause (MariaDB refuses ALTER COLUMN and MODIFY of one column in one statement).
        clauses.AddRange(diff.DefaultChanged.Where(c => !diff.Retyped.Any(r => r.Column == c)).Select(DefaultClause));
        clauses.AddRange(diff.Retyped.Select(r => r.Clause));
        // A rename of a column whose default or type changes too goes in a statement of its own, after: MariaDB refuses a RENAME COLUMN beside an ALTER
        // COLUMN of the same column in one ALTER (1054 Unknown column), by either name (CHANGE a b INT
        // over a column with a default; MODIFY ID ... over id).
        var renames = diff.Renamed.Select(c => $"RENAME COLUMN {Quote(c.OriginalName!)} TO {Quote(c.Name)}").ToList();
        if (!diff.Renamed.Any(c => diff.DefaultChanged.Contains(c) || diff.Retyped.Any(r => r.Column == c)))
        {
            clauses.AddRange(renames);
            renames.Clear();
        }
        var statements = new List<string>();
        // The counter first, on its own: a metadata change in place on both servers (MySQL 8 has no
        // INSTANT for it), and refused before anything else of the plan has committed.
        if (diff.AutoIncrementNext is { } next)
            statements.Add($"ALTER TABLE {t} AUTO_INCREMENT = {next.ToString(System.Globalization.CultureInfo.InvariantCulture)}, ALGORITHM=INPLACE, LOCK=NONE");
        if (clauses.Count > 0)
            statements.Add($"ALTER TABLE {t} {string.Join(", ", clauses)}, ALGORITHM=INSTANT");
        if (renames.Count > 0)
            statements.Add($"ALTER TABLE {t} {string.Join(", ", renames)}, ALGORITHM=INSTANT");
        if (diff.IndexesAdded.Any(i => i.Unique))
            return ChangePlan.Copy("a unique index is built on the copy, where duplicates are found before anything changes");
        var indexClauses = diff.IndexesDropped.Select(i => $"DROP INDEX {Quote(i.Name)}")
            .Concat(diff.IndexesAdded.Select(i => $"ADD INDEX {Quote(i.Name)} ({string.Join(", ", i.Columns.Select(c => Quote(c.Column) + (c.Prefix is { } p ? $"({p})" : "")))})"))
            .ToList();
        if (indexClauses.Count > 0)
            statements.Add($"ALTER TABLE {t} {string.Join(", ", indexClauses)}, ALGORITHM=INPLACE, LOCK=NONE");
        if (statements.Count == 0)
            return ChangePlan.Copy("nothing changes in the table's definition");
        return diff.HasIndexChanges
            ? new ChangePlan(ChangeMethod.InPlace, diff.HasColumnChanges
                ? "MySQL/MariaDB changes these columns instantly and builds or drops indexes in place (LOCK=NONE), without blocking writes"
                : "MySQL/MariaDB builds or drops indexes in place (ALGORITHM=INPLACE, LOCK=NONE), without blocking writes", statements)
            : new ChangePlan(ChangeMethod.Instant, !diff.HasColumnChanges && !diff.HasCheckChanges
                ? "MySQL/MariaDB set the AUTO_INCREMENT counter in place (ALGORITHM=INPLACE, LOCK=NONE): its metadata only, no row is read"
                : !diff.HasColumnChanges
                ? "MariaDB drops a CHECK constraint with ALGORITHM=INSTANT (its catalog only; no row is read)"
                : diff.Retyped.Count > 0
                ? "MariaDB 10.4+ widens a VARCHAR within its length-byte class and appends ENUM values with ALGORITHM=INSTANT (with any other column changes)"
                : "MariaDB 10.4+ / MySQL 8.0.29+ add, drop and rename columns and change defaults with ALGORITHM=INSTANT", statements);
    }

    /// <summary>
    /// MySQL/MariaDB rename and drop a column in place without looking at the table's triggers, which
    /// then fail every write they fire for (1054 Unknown column). A trigger whose body names a renamed
    /// or dropped column (as a word, in any case, quoted or not: a mention in a string or comment
    /// costs a copy, never a broken trigger) sends the change to the copy, whose check recreates each
    /// trigger on the new table and refuses, with nothing changed, one the table cannot take.
    /// </summary>
    private static string? TriggerUsingChangedColumn(TableDiff diff)
    {
        foreach (var trigger in MySqlTriggerMover.Own(diff.Original))
        {
            foreach (var column in ChangedColumns(diff))
            {
                if (Swap.Dialects.Identifiers.IsNamedIn(trigger.Body!, column))
                    return $"the trigger {trigger.Name} names the column {column}, which MySQL/MariaDB would rename or drop in place without changing the trigger; the copy checks the trigger on the new table first";
            }
        }
        return null;
    }

    /// <summary>
    /// The same for a view: MySQL/MariaDB keep its definition as text and check it only when it is
    /// read, so a column renamed or dropped in place leaves the view failing every query (1356). A
    /// view whose stored definition names such a column (quoted, as the server stores it) sends the
    /// change to the copy, which compiles each view against the new table first (<see cref="MySqlViewCheck"/>).
    /// </summary>
    private string? ViewUsingChangedColumn(TableDiff diff)
    {
        foreach (var view in MySqlViewCheck.Views(diff.Original))
        {
            foreach (var column in ChangedColumns(diff))
            {
                if (view.Definition.Contains(Quote(column), StringComparison.OrdinalIgnoreCase))
                    return $"the view {view.Name} names the column {column}, which MySQL/MariaDB would rename or drop in place without changing the view; the copy checks the view against the new table first";
            }
        }
        return null;
    }

    /// <summary>
    /// A default change in the catalog. MariaDB's <c>ALTER COLUMN ... SET DEFAULT</c> drops a
    /// column's <c>ON UPDATE CURRENT_TIMESTAMP</c>, so such a column is restated whole with
    /// <c>MODIFY</c> (the same metadata-only change under <c>ALGORITHM=INSTANT</c>), keeping it.
    /// </summary>
    private string DefaultClause(DbColumn c)
    {
        if ((c.Restatement is { } r ? r.OnUpdate : MySqlColumnText.OnUpdate(c.Original?.Extra.GetValueOrDefault("ddl") ?? "")) is not null)
            return $"MODIFY COLUMN {Quote(c.OriginalName!)} {MySqlCopyBuilder.Definition(this, c)}";
        return DefaultSql(c) is { } d ? $"ALTER COLUMN {Quote(c.OriginalName!)} SET DEFAULT {d}" : $"ALTER COLUMN {Quote(c.OriginalName!)} DROP DEFAULT";
    }

    private static IEnumerable<string> ChangedColumns(TableDiff diff) =>
        diff.Renamed.Select(c => c.OriginalName!).Concat(diff.Dropped.Select(c => c.Name));

    internal override string? RestatementChange(Swap.Engine.Schema.ColumnSchema old, DbColumn column)
    {
        if (column.Restatement is not { } r)
            return null;
        var ddl = old.Extra.GetValueOrDefault("ddl") ?? "";
        var name = column.OriginalName;
        if (old.AutoIncrement != r.AutoIncrement)
            return $"{name} is restated without AUTO_INCREMENT";
        if ((old.Extra.GetValueOrDefault("invisible") == "1") != r.Invisible)
            return $"{name} is restated {(r.Invisible ? "INVISIBLE" : "visible")}";
        if (!SameClause(MySqlColumnText.OnUpdate(ddl), r.OnUpdate))
            return $"{name} is restated {(r.OnUpdate is null ? "without ON UPDATE" : "with " + r.OnUpdate)}";
        if (!SameClause(MySqlColumnText.Check(ddl), r.Check))
            return $"{name} is restated {(r.Check is null ? "without its CHECK" : "with " + r.Check)}";
        if (MySqlColumnText.Comment(ddl) is not null && column.CommentSql is null)
            return $"{name} is restated without its COMMENT";
        // SHOW CREATE TABLE names a column's character set or collation when it is not the table's: restated without one, the column takes the table's.
        var type = column.Type is { Kind: ColumnKind.Native } t ? t.Native! : "";
        if (RestatedCharset().IsMatch(ddl) && !RestatedCharset().IsMatch(type))
            return $"{name} is restated without its character set or collation, so it takes the table's";
        return null;
    }

    /// <summary>Two clauses as written alike, letter case, spaces and backquotes aside (a mismatch only costs a copy).</summary>
    private static bool SameClause(string? a, string? b) =>
        a is null ? b is null : b is not null && Normal(a) == Normal(b);

    private static string Normal(string text) =>
        text.Replace("`", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Replace("()", "", StringComparison.Ordinal).ToLowerInvariant();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(CHARACTER\s+SET|CHARSET|COLLATE)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex RestatedCharset();

    /// <summary>
    /// A type change InnoDB makes in its catalog: a VARCHAR widened within its length-byte class
    /// (its maximum in bytes stays at most 255, or was already more: the row format keeps its
    /// length prefix), or ENUM values appended at the end of the list (the stored numbers keep
    /// their meaning and their size). The clause is <c>MODIFY COLUMN</c> with the column's own
    /// definition as <c>SHOW CREATE TABLE</c> gives it and only the type replaced, so its character
    /// set, collation, nullability, default, comment and ON UPDATE stay (the catalog keeps that
    /// definition, after the column's name, as <c>ddl</c>). Not when the same column is
    /// also renamed or its default or nullability changes, nor for a generated column: those copy.
    /// </summary>
    internal override string? RetypeInPlaceClause(Swap.Engine.Schema.TableSchema original, Swap.Engine.Schema.ColumnSchema old, DbColumn column)
    {
        // MODIFY in online SQL restates the default; the same default again is no change.
        if (column.Type is not { } stated || old.Generated is not null || (column.DefaultChanged && DefaultSql(column) != old.Default) || column.NullabilityChanged
            || !string.Equals(column.OriginalName, column.Name, StringComparison.Ordinal))
            return null;
        var type = Portable(stated);
        var prefix = old.NativeType;
        if (old.Extra.GetValueOrDefault("ddl") is not { } ddl || !ddl.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            || (ddl.Length > prefix.Length && ddl[prefix.Length] != ' '))
            return null;
        var widened = type.Kind switch
        {
            ColumnKind.String => WidenedVarchar(old, type),
            ColumnKind.Enum => AppendedEnum(old, type),
            _ => null,
        };
        return widened is null ? null : $"MODIFY COLUMN {Quote(old.Name)} {widened}{ddl[prefix.Length..]}";
    }

    /// <summary>A native type that is a VARCHAR(n) or an ENUM(...) (as online SQL's MODIFY gives it), as the portable type it is.</summary>
    private static ColumnType Portable(ColumnType type)
    {
        if (type.Kind != ColumnKind.Native)
            return type;
        if (EnumValues(type.Native!) is { Count: > 0 } values)
            return ColumnType.Enum([.. values]);
        return VarcharType().Match(type.Native!.Replace(" ", "", StringComparison.Ordinal)) is { Success: true } m
            ? ColumnType.String(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            : type;
    }

    private string? WidenedVarchar(Swap.Engine.Schema.ColumnSchema old, ColumnType type)
    {
        var m = VarcharType().Match(old.NativeType);
        if (!m.Success || type.Length is not { } to || CharsetMaxBytes(old.Collation) is not { } bytes)
            return null;
        var from = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var sameClass = (from * bytes <= 255) == (to * bytes <= 255);
        return to >= from && sameClass ? TypeSql(type) : null;
    }

    private string? AppendedEnum(Swap.Engine.Schema.ColumnSchema old, ColumnType type)
    {
        if (EnumValues(old.NativeType) is not { } values || type.Values is not { } wanted)
            return null;
        var appended = wanted.Count >= values.Count
            && wanted.Take(values.Count).SequenceEqual(values, StringComparer.Ordinal)
            && (values.Count <= 255) == (wanted.Count <= 255);
        return appended ? TypeSql(type) : null;
    }

    /// <summary>The values of an <c>enum('a','b')</c> column type as information_schema writes it (quotes doubled inside values).</summary>
    internal static IReadOnlyList<string>? EnumValues(string nativeType)
    {
        if (!nativeType.StartsWith("enum(", StringComparison.OrdinalIgnoreCase) || !nativeType.EndsWith(')'))
            return null;
        var values = new List<string>();
        var body = nativeType[5..^1];
        var i = 0;
        while (i < body.Length)
        {
            // information_schema writes enum('a','b'); a script may write ENUM('a', 'b').
            while (i < body.Length && body[i] == ' ')
                i++;
            if (i >= body.Length || body[i] != '\'')
                return null;
            var value = new System.Text.StringBuilder();
            i++;
            while (true)
            {
                if (i >= body.Length)
                    return null;
                if (body[i] == '\'' && i + 1 < body.Length && body[i + 1] == '\'')
                {
                    value.Append('\'');
                    i += 2;
                }
                else if (body[i] == '\'')
                {
                    i++;
                    break;
                }
                else
                {
                    value.Append(body[i++]);
                }
            }
            values.Add(value.ToString());
            while (i < body.Length && body[i] == ' ')
                i++;
            if (i < body.Length && body[i++] != ',')
                return null;
        }
        return values;
    }

    /// <summary>The most bytes one character takes in the column's character set (from its collation's name); null when unknown (then it is copied).</summary>
    internal static int? CharsetMaxBytes(string? collation) => collation?.Split('_')[0].ToLowerInvariant() switch
    {
        "utf8mb4" or "utf16" or "utf16le" or "utf32" or "gb18030" => 4,
        "utf8mb3" or "utf8" or "ujis" or "eucjpms" => 3,
        "ucs2" or "big5" or "gbk" or "gb2312" or "sjis" or "cp932" or "euckr" => 2,
        "latin1" or "latin2" or "latin5" or "latin7" or "ascii" or "binary" or "cp1250" or "cp1251" or "cp1256" or "cp1257" or "cp850" or "cp852" or "cp866" or "greek" or "hebrew" or "koi8r" or "koi8u" or "swe7" or "tis620" or "armscii8" or "dec8" or "hp8" or "keybcs2" or "macce" or "macroman" or "geostd8" => 1,
        _ => null,
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"^varchar\((\d+)\)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex VarcharType();

    /// <summary>
    /// The server cannot honour the algorithm asked for: ER_ALTER_OPERATION_NOT_SUPPORTED(_REASON),
    /// or MySQL's row-version limit for instant column changes (<see cref="UnsupportedInstantCodes"/>).
    /// </summary>
    internal override bool IsUnsupportedInstant(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is MySqlException m && UnsupportedInstantCodes.Contains(m.ErrorCode))
                return true;
        }
        return false;
    }

    /// <summary>
    /// The errors of an ALTER whose ALGORITHM the server cannot honour, after which Swap copies:
    /// 1845 and 1846 (both servers), and MySQL 8.0.29+'s 4092 once a table has used up its row
    /// versions for instant column adds and drops (the 65th such change fails with it).
    /// </summary>
    internal static readonly MySqlErrorCode[] UnsupportedInstantCodes =
    [
        ServerErrors.AlterOperationNotSupported,
        ServerErrors.AlterOperationNotSupportedReason,
        ServerErrors.InnoDbMaxRowVersion,
    ];
}
