namespace Swap.Engine;

/// <summary>
/// How one column of the copy is filled from the original row: an SQL expression over the
/// original's columns (a quoted column name, a cast, or the script's FillWith).
/// </summary>
/// <param name="CopyColumn">The column's name in the copy.</param>
/// <param name="Source">The expression, evaluated over the original row.</param>
/// <param name="CopyType">The copy column's type in the engine's words, for exact comparisons.</param>
/// <param name="Origin">The original's column whose value this is (as it is, or converted to a new type); null for a FillWith.</param>
/// <param name="OriginType">The original column's type in the engine's words, where the comparison depends on it (a DECIMAL stored in an INT rounds); null for a FillWith.</param>
/// <param name="OriginCollation">The original column's collation, where the engine has one per column; null for a FillWith.</param>
/// <param name="CopyCollation">The copy column's collation, where the engine has one per column (a text column changing character set is compared in the copy's).</param>
internal sealed record ColumnMapping(string CopyColumn, string Source, string CopyType, string? Origin = null, string? OriginType = null, string? OriginCollation = null, string? CopyCollation = null);
