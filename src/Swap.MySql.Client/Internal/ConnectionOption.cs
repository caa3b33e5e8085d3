namespace Swap.MySql.Client.Internal;

/// <summary>One connection-string keyword: its canonical name, accepted synonyms and default.</summary>
internal sealed record ConnectionOption(string Name, object Default, params string[] Synonyms)
{
    internal static readonly ConnectionOption Server = new("Server", "", "Host", "Data Source", "DataSource", "Address", "Addr", "Network Address");
    internal static readonly ConnectionOption Port = new("Port", 3306u);
    internal static readonly ConnectionOption UserId = new("User ID", "", "UserID", "Uid", "User", "Username", "User name");
    internal static readonly ConnectionOption Password = new("Password", "", "Pwd");
    internal static readonly ConnectionOption Database = new("Database", "", "Initial Catalog");
    internal static readonly ConnectionOption UnixSocket = new("Unix Socket", "", "Socket", "UnixSocket");
    internal static readonly ConnectionOption SslMode = new("SslMode", MySqlSslMode.Preferred, "Ssl Mode", "Ssl-Mode");
    internal static readonly ConnectionOption SslCa = new("SslCa", "", "Ssl Ca", "Ssl-Ca", "CACertificateFile");
    internal static readonly ConnectionOption ConnectionTimeout = new("Connection Timeout", 15u, "Connect Timeout", "ConnectionTimeout", "ConnectTimeout");
    internal static readonly ConnectionOption DefaultCommandTimeout = new("Default Command Timeout", 30u, "Command Timeout", "DefaultCommandTimeout");
    internal static readonly ConnectionOption CharacterSet = new("Character Set", "utf8mb4", "CharSet", "CharacterSet");
    internal static readonly ConnectionOption AllowUserVariables = new("Allow User Variables", false, "AllowUserVariables");
    internal static readonly ConnectionOption UseAffectedRows = new("Use Affected Rows", false, "UseAffectedRows");
    internal static readonly ConnectionOption TreatTinyAsBoolean = new("Treat Tiny As Boolean", true, "TreatTinyAsBoolean");
    internal static readonly ConnectionOption PersistSecurityInfo = new("Persist Security Info", false, "PersistSecurityInfo");

    internal static readonly ConnectionOption[] All =
    [
        Server, Port, UserId, Password, Database, UnixSocket, SslMode, SslCa, ConnectionTimeout,
        DefaultCommandTimeout, CharacterSet, AllowUserVariables, UseAffectedRows, TreatTinyAsBoolean,
        PersistSecurityInfo,
    ];

    private static readonly Dictionary<string, ConnectionOption> ByKeyword = BuildIndex();

    internal static ConnectionOption? Find(string keyword) =>
        ByKeyword.TryGetValue(keyword.Trim(), out var option) ? option : null;

    private static Dictionary<string, ConnectionOption> BuildIndex()
    {
        var index = new Dictionary<string, ConnectionOption>(StringComparer.OrdinalIgnoreCase);
        foreach (var option in All)
        {
            index.Add(option.Name, option);
            foreach (var synonym in option.Synonyms) index.Add(synonym, option);
        }
        return index;
    }
}
