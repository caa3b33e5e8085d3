using System.Data.Common;
using Swap.Control;

namespace Swap.Throttling;

/// <summary>Why a swap waits: the reason in words; <see cref="Critical"/> asks for a person (the swap pauses until <c>swap resume</c>).</summary>
internal sealed record ThrottleVerdict(string Reason, bool Critical = false);

/// <summary>One signal the throttler asks at a chunk boundary. Null means go on.</summary>
internal interface IThrottleCheck : IAsyncDisposable
{
    /// <param name="primary">A connection to the target the check may use (the controller's own, never the copier's); null when the target cannot be reached now.</param>
    Task<ThrottleVerdict?> CheckAsync(DbConnection? primary, LiveSettings settings, CancellationToken cancellationToken);
}
