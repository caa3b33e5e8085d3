using Microsoft.Extensions.Logging;
using Swap.Dialects;
using Swap.History;

namespace Swap.Running;

/// <summary>What every script execution of one run shares: target, options, clock, logger and token.</summary>
internal sealed record RunContext(
    SwapDatabase Database,
    RunnerTables Tables,
    MigratorOptions Options,
    TimeProvider Time,
    ILogger Logger,
    CancellationToken CancellationToken);
