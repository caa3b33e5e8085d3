using System.Globalization;
using Swap.Engine;

namespace Swap.Dialects;

internal abstract partial class SqlDialect
{
    /// <summary>The engine's type for a portable type; a clear refusal for types the engine lacks.</summary>
    public abstract string TypeSql(ColumnType type);

    /// <summary>An SQL literal for a default value given to <c>SetDefault</c>.</summary>
    public virtual string ValueLiteral(object value) => value switch
    {
        string s => Literal(s),
        bool b => b ? "TRUE" : "FALSE",
        DateTime dt => Literal(dt.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)),
        DateOnly d => Literal(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        TimeOnly t => Literal(t.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture)),
        Guid g => Literal(g.ToString()),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new SwapException(SwapErrorKind.Refused, $"A default of type {value.GetType().Name} cannot be written as SQL."),
    };

    /// <summary>The DEFAULT clause's expression for a column of the engineer, or null for none.</summary>
    public string? DefaultSql(DbColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (column.DefaultSql is null)
            return null;
        if (column.DefaultIsCurrentTimestamp)
            return CurrentTimestampSql(column.Type);
        return column.DefaultIsValue ? ValueLiteral(column.DefaultValue!) : column.DefaultSql;
    }

    /// <summary>
    /// The cheapest safe method for a table's change set on this engine (see the rules in
    /// docs/writing-migrations.md): instant (metadata only), in place (index builds that do not
    /// block writes), or the online copy. The default is the copy.
    /// </summary>
    internal virtual Instant.ChangePlan PlanChange(Instant.TableDiff diff) => Instant.ChangePlan.Copy($"{Engine.ProductName()} has no instant changes in Swap");

    /// <summary>True when a failed instant or in-place statement means "the engine cannot do this without a copy" (then Swap copies).</summary>
    internal virtual bool IsUnsupportedInstant(Exception error) => false;

    /// <summary>
    /// The <c>ALTER TABLE</c> clause that gives an existing column its new type without touching a row
    /// (PostgreSQL: a longer <c>varchar</c>, or <c>text</c>), or null when the change rewrites rows or
    /// the planner is unsure: then the table is copied.
    /// </summary>
    internal virtual string? RetypeInPlaceClause(Engine.Schema.TableSchema original, Engine.Schema.ColumnSchema old, DbColumn column) => null;

    /// <summary>
    /// Why a column online SQL restated whole (MySQL's MODIFY / CHANGE) differs from the original in
    /// what the instant path keeps (AUTO_INCREMENT, ON UPDATE, INVISIBLE, COMMENT, its own CHECK, its
    /// character set), so the table is copied with the restated definition; null when it does not.
    /// </summary>
    internal virtual string? RestatementChange(Engine.Schema.ColumnSchema old, DbColumn column) => null;

    /// <summary>The default expression for "now" on a column of that type.</summary>
    public virtual string CurrentTimestampSql(ColumnType? type) => "CURRENT_TIMESTAMP";

    /// <summary>Refuses a portable type this engine has no type for.</summary>
    protected SwapException Lacks(ColumnType type, string instead) => new(
        SwapErrorKind.Refused,
        $"{Engine.ProductName()} has no {type} type. {instead}");
}
