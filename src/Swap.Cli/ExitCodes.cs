namespace Swap.Cli;

/// <summary>
/// The exit codes of <c>swap</c> (documented in docs/cli.md). They are the numeric values of
/// <see cref="SwapErrorKind"/>, plus success.
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = (int)SwapErrorKind.Failure;
    public const int Usage = (int)SwapErrorKind.Usage;
    public const int LockHeld = (int)SwapErrorKind.LockHeld;
    public const int ValidationFailed = (int)SwapErrorKind.ValidationFailed;
    public const int Connection = (int)SwapErrorKind.Connection;
    public const int InvalidMigration = (int)SwapErrorKind.InvalidMigration;
    public const int Refused = (int)SwapErrorKind.Refused;
    public const int VerificationFailed = (int)SwapErrorKind.VerificationFailed;
    public const int CutOverTimedOut = (int)SwapErrorKind.CutOverTimedOut;
    public const int Aborted = (int)SwapErrorKind.Aborted;
    public const int NoSwapRunning = (int)SwapErrorKind.NoSwapRunning;
    public const int Cancelled = (int)SwapErrorKind.Cancelled;
}
