namespace Swap.Engine;

/// <summary>
/// A cut-over attempt that did not happen for another reason than its lock wait (MySQL: the
/// renamer's session was killed before its RENAME ran); retried like a lock timeout.
/// </summary>
internal sealed class CutOverInterruptedException(string message, Exception inner) : Exception(message, inner);
