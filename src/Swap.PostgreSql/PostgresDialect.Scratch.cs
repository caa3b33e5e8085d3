using Swap.Dialects;

namespace Swap.PostgreSql;

internal sealed partial class PostgresDialect
{
    public override string? CreateScratchSql(string name) => $"CREATE SCHEMA {Quote(name)}";

    public override string? DropScratchSql(string name) => $"DROP SCHEMA IF EXISTS {Quote(name)} CASCADE";

    /// <summary>A schema of the server URL's database.</summary>
    public override DatabaseUrl ScratchUrl(DatabaseUrl server, string name) => server.WithOption("schema", name);
}
