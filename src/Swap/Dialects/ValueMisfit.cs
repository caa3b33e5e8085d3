namespace Swap.Dialects;

/// <summary>
/// A value that does not fit the column it is written to: too long, out of range, NULL for a NOT
/// NULL column, or text that is no value of the column's type (MySQL 1406, 1264, 1048, 1265, 1366,
/// 1292; PostgreSQL 22001, 22003, 23502, 22P02, 22007, 22008; SQLite's datatype, NOT NULL and
/// CHECK constraints of a swap's copy), or a row whose foreign key finds no parent row (MySQL 1452,
/// 1216; PostgreSQL 23503; SQLite's <c>SQLITE_CONSTRAINT_FOREIGNKEY</c>).
/// </summary>
/// <param name="Reason">The server's words, without what only it can read (MySQL's "at row N" counts rows of the statement).</param>
/// <param name="Column">The column the server named, or null when it names none (PostgreSQL's 22001 and 22003).</param>
/// <param name="ForeignKey">True when a foreign key of the row found no parent row.</param>
internal sealed record ValueMisfit(string Reason, string? Column, bool ForeignKey = false);
