using Swap.Engine.Schema;

namespace Swap.Running;

/// <summary>What a dry run of one script recorded.</summary>
/// <param name="Steps">The steps with the SQL known in advance.</param>
/// <param name="Online">True when it swaps tables online (and so runs as journaled steps).</param>
/// <param name="Promised">Each table it changes through the table API, as the plan predicts it afterwards.</param>
internal sealed record ScriptDryRun(IReadOnlyList<PlannedStep> Steps, bool Online, IReadOnlyList<TableSchema> Promised);
