using Swap.MySql.Client;

namespace Swap.IntegrationTests.MySqlClient;

internal static class CommandExtensions
{
    internal static MySqlCommand Also(this MySqlCommand command, string sql)
    {
        command.CommandText = sql;
        return command;
    }

    internal static MySqlCommand With(this MySqlCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value);
        return command;
    }
}
