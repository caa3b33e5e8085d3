namespace Swap;

/// <summary>An operator's <c>swap abort</c> reached the running swap; the runner removes what the swap made and leaves the script pending.</summary>
public sealed class SwapAbortedException : SwapException
{
    /// <summary>An abort with <paramref name="message"/> (<see cref="SwapErrorKind.Aborted"/>).</summary>
    public SwapAbortedException(string message)
        : base(SwapErrorKind.Aborted, message)
    {
    }

    /// <summary>An abort with a generic message.</summary>
    public SwapAbortedException()
        : this("The swap was aborted.")
    {
    }

    /// <summary>The tables of the aborted swap, whose copies, capture and logs the runner removes.</summary>
    public IReadOnlyList<string> Tables { get; init; } = [];

    /// <summary>Who sent <c>swap abort</c> (user@host pid N), when known.</summary>
    public string? AbortedBy { get; init; }

    /// <summary>An abort with <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public SwapAbortedException(string message, Exception inner)
        : base(SwapErrorKind.Aborted, message, inner)
    {
    }
}
