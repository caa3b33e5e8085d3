using Swap.Running;
namespace Swap;
/// <summary>One operation <c>plan</c> says a script would perform, with the SQL where it is known in advance.</summary>
/// <param name="Description">What the step does, in words.</param>
/// <param name="Sql">The statements it would send, in order; empty when they depend on data seen at run time.</param>
public sealed record PlannedStep(string Description, IReadOnlyList<string> Sql);
