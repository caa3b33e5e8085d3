using Swap.Dialects;

namespace Swap.Engine;

/// <summary>
/// A chunk of the copy met a value that does not fit the copy's column (see
/// <see cref="SwapDatabase.ValueNotFitting"/>): carries the chunk's range, (lower, upper], where
/// <see cref="ValueMisfits"/> looks for the first row that does not fit; or, found by a query of
/// its own (a row of the copy whose new foreign key has no parent row, see
/// <see cref="Verifier"/>), the misfit and the row's key.
/// </summary>
internal sealed class ValueMisfitException : Exception
{
    public ValueMisfitException(SwapSpec spec, object?[]? lower, object?[]? upper, int rows, Exception inner)
        : base(inner.Message, inner)
    {
        Spec = spec;
        Lower = lower;
        Upper = upper;
        Rows = rows;
    }

    /// <summary>A misfit found without a server error: <paramref name="key"/> is the row's key.</summary>
    public ValueMisfitException(SwapSpec spec, ValueMisfit misfit, object?[] key)
        : base(misfit.Reason)
    {
        Spec = spec;
        Misfit = misfit;
        Key = key;
    }

    public SwapSpec Spec { get; }

    /// <summary>The chunk's lower bound (exclusive); null from the table's first key.</summary>
    public object?[]? Lower { get; }

    /// <summary>The chunk's upper bound (inclusive); null to the table's end.</summary>
    public object?[]? Upper { get; }

    /// <summary>True when the change log's applier met the value (the application wrote it during the copy); the range is then empty.</summary>
    public bool FromLog { get; init; }

    /// <summary>The rows the chunk was sized for.</summary>
    public int Rows { get; }

    /// <summary>The misfit, when no server error carries it.</summary>
    public ValueMisfit? Misfit { get; }

    /// <summary>The key of the row that does not fit, when already known.</summary>
    public object?[]? Key { get; }
}
