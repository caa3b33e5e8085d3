namespace Swap.Engine;

/// <summary>
/// Settings a dialect gives the swap's connection for the online path's many short write
/// transactions (chunks, applier batches), with the housekeeping due between them; disposing it
/// puts the connection's settings back. The default changes nothing.
/// </summary>
internal class WriteSession : IAsyncDisposable
{
    /// <summary>A session that changes nothing.</summary>
    public static WriteSession None { get; } = new();

    /// <summary>
    /// Runs after a write transaction that held the lock for <paramref name="held"/>, outside any
    /// transaction, during the writers' turn; returns how long it took, which the turn is shortened by.
    /// </summary>
    public virtual Task<TimeSpan> AfterWriteAsync(TimeSpan held, CancellationToken cancellationToken) =>
        Task.FromResult(TimeSpan.Zero);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
