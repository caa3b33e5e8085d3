namespace Swap;

/// <summary>
/// What went wrong, in terms a caller can act on. The CLI maps each kind to an exit code
/// (see docs/cli.md); the numeric values are those exit codes.
/// </summary>
public enum SwapErrorKind
{
    /// <summary>A script or statement failed; the run stopped.</summary>
    Failure = 1,
    /// <summary>The command line or an API argument is wrong.</summary>
    Usage = 2,
    /// <summary>Another runner holds the migration lock.</summary>
    LockHeld = 3,
    /// <summary><c>validate</c> found changed, missing or out-of-order scripts.</summary>
    ValidationFailed = 4,
    /// <summary>The database could not be reached or refused the credentials.</summary>
    Connection = 5,
    /// <summary>A migration could not be loaded: malformed, duplicate, cyclic, does not compile.</summary>
    InvalidMigration = 6,
    /// <summary>A preflight check refused an unsafe or unsupported change before anything was written.</summary>
    Refused = 7,
    /// <summary>The copy did not match the original; nothing was swapped.</summary>
    VerificationFailed = 8,
    /// <summary>The cut-over could not take its lock within the retry budget; the original is in place.</summary>
    CutOverTimedOut = 9,
    /// <summary>An operator aborted the running swap (<c>swap abort</c>); the original is untouched and the script is pending.</summary>
    Aborted = 10,
    /// <summary>A control command (<c>abort</c>, <c>set</c>, <c>cut-over</c>) found no running or postponed swap to take it.</summary>
    NoSwapRunning = 11,
    /// <summary>The run was cancelled.</summary>
    Cancelled = 130,
}

/// <summary>
/// An error from Swap with a message that says what is wrong and what to do. Server errors keep
/// their engine's code and SQL state; <see cref="IsTransient"/> tells whether a retry may succeed.
/// </summary>
public class SwapException : Exception
{
    /// <summary>An error of <paramref name="kind"/> with a message that says what is wrong and what to do.</summary>
    public SwapException(SwapErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    /// <summary>A <see cref="SwapErrorKind.Failure"/> with a generic message; prefer a constructor that says what failed.</summary>
    public SwapException()
        : this(SwapErrorKind.Failure, "Swap failed.")
    {
    }

    /// <summary>A <see cref="SwapErrorKind.Failure"/> with <paramref name="message"/>.</summary>
    public SwapException(string message)
        : this(SwapErrorKind.Failure, message)
    {
    }

    /// <summary>A <see cref="SwapErrorKind.Failure"/> with <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public SwapException(string message, Exception inner)
        : this(SwapErrorKind.Failure, message, inner)
    {
    }

    /// <summary>What went wrong; its number is the CLI's exit code.</summary>
    public SwapErrorKind Kind { get; }

    /// <summary>The server's error number (MySQL) or null.</summary>
    public int? ServerCode { get; init; }

    /// <summary>The SQL state reported by the server, if any.</summary>
    public string? SqlState { get; init; }

    /// <summary>True when the same operation may succeed if retried (deadlock, lock timeout, lost connection).</summary>
    public bool IsTransient { get; init; }

    /// <summary>The script the error belongs to, when there is one.</summary>
    public string? ScriptId { get; init; }

    /// <summary>
    /// The scripts this run finished before the error (applied by <c>up</c>, reverted by <c>down</c>),
    /// in order: they stay finished; the run stopped at the next one.
    /// </summary>
    public IReadOnlyList<ScriptOutcome> Finished { get; internal set; } = [];
}
