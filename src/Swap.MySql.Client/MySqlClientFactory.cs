using System.Data.Common;

namespace Swap.MySql.Client;

/// <summary>Creates this provider's objects; register it with <see cref="DbProviderFactories"/> if wanted.</summary>
public sealed class MySqlClientFactory : DbProviderFactory
{
    public static readonly MySqlClientFactory Instance = new();

    private MySqlClientFactory() { }

    public override DbCommand CreateCommand() => new MySqlCommand();
    public override DbConnection CreateConnection() => new MySqlConnection();
    public override DbConnectionStringBuilder CreateConnectionStringBuilder() => new MySqlConnectionStringBuilder();
    public override DbParameter CreateParameter() => new MySqlParameter();
    public override bool CanCreateDataSourceEnumerator => false;
}
