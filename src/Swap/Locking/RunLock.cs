namespace Swap.Locking;

/// <summary>
/// One runner per database: an engine-native lock held on a dedicated connection for the whole
/// run, so that it is released by the server (or the OS) if its holder dies.
/// </summary>
internal abstract class RunLock : IAsyncDisposable
{
    /// <summary>Tries once, without waiting on the server.</summary>
    public abstract Task<bool> TryAcquireAsync(string holder, DateTime sinceUtc, CancellationToken cancellationToken);

    /// <summary>Who holds the lock and since when, as far as the engine and the info table say.</summary>
    public abstract Task<LockHolder?> DescribeHolderAsync(CancellationToken cancellationToken);

    /// <summary>True while the lock's connection is alive and the lock is ours.</summary>
    public abstract Task<bool> StillHeldAsync(CancellationToken cancellationToken);

    /// <summary>
    /// When the lock's holder is provably dead (see <see cref="RunIdentity.IsProvablyDead"/>) but its
    /// server session still holds the lock (it was busy with a statement when the process died),
    /// ends that session and returns a description of what was reclaimed; null when nothing was.
    /// A live holder is never touched.
    /// </summary>
    public virtual Task<string?> ReclaimFromDeadHolderAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public abstract ValueTask DisposeAsync();
}
