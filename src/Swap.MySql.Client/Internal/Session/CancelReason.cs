namespace Swap.MySql.Client.Internal.Session;

/// <summary>Why a running query was killed on the server.</summary>
internal enum CancelReason
{
    None,
    /// <summary>The caller's <see cref="CancellationToken"/> fired.</summary>
    Canceled,
    /// <summary>The command timeout expired while waiting for the server.</summary>
    TimedOut,
}
