using Swap.Dialects;

namespace Swap.MySql;

internal sealed partial class MySqlDialect
{
    public override string? CreateScratchSql(string name) => $"CREATE DATABASE {Quote(name)} CHARACTER SET utf8mb4";

    public override string? DropScratchSql(string name) => $"DROP DATABASE IF EXISTS {Quote(name)}";
}
