namespace Swap.Engine;

/// <summary>
/// A chunk of the copy met a value that does not fit the copy's column (see
/// <see cref="SwapDatabase.ValueNotFitting"/>): carries the chunk's range, (lower, upper], where
/// <see cref="ValueMisfits"/> looks for the first row that does not fit.
/// </summary>
internal sealed class ValueMisfitException(SwapSpec spec, object?[]? lower, object?[]? upper, int rows, Exception inner)
    : Exception(inner.Message, inner)
{
    public SwapSpec Spec { get; } = spec;

    /// <summary>The chunk's lower bound (exclusive); null from the table's first key.</summary>
    public object?[]? Lower { get; } = lower;

    /// <summary>The chunk's upper bound (inclusive); null to the table's end.</summary>
    public object?[]? Upper { get; } = upper;

    /// <summary>True when the change log's applier met the value (the application wrote it during the copy); the range is then empty.</summary>
    public bool FromLog { get; init; }

    /// <summary>The rows the chunk was sized for.</summary>
    public int Rows { get; } = rows;
}
