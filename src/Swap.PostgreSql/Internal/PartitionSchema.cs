namespace Swap.PostgreSql.Internal;

/// <summary>
/// One partition of a partitioned table: its name, its bound as <c>pg_get_expr(relpartbound)</c>
/// prints it (<c>FOR VALUES FROM (0) TO (100)</c>, <c>DEFAULT</c>), its relkind (<c>p</c> when it is
/// partitioned itself), persistence and storage options.
/// </summary>
internal sealed record PartitionSchema(string Name, string Bound, string Kind, string Persistence, string Options);
