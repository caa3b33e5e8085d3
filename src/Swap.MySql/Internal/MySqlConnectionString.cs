using System.Globalization;
using MySqlConnector;

namespace Swap.MySql.Internal;

/// <summary>
/// Turns a <c>mysql://</c> URL into MySqlConnector settings. The URL's options use the spellings
/// people know from the MySQL clients (<c>socket</c>, <c>sslmode=verify_ca</c>, <c>sslca</c>)
/// and are mapped to MySqlConnector's own.
/// </summary>
internal static class MySqlConnectionString
{
    public static MySqlConnectionStringBuilder From(DatabaseUrl url)
    {
        var b = new MySqlConnectionStringBuilder
        {
            Port = (uint)(url.Port ?? 3306),
            UserID = url.User ?? "",
            Password = url.Password ?? "",
            Database = url.Database,
            ConnectionTimeout = (uint)url.ConnectTimeoutSeconds(),
            DefaultCommandTimeout = 0,
        };
        if (url.Option("socket") is { } socket)
        {
            b.Server = socket;
            b.ConnectionProtocol = MySqlConnectionProtocol.UnixSocket;
        }
        else
        {
            b.Server = url.Host ?? "localhost";
        }
        if (url.Option("sslmode") is { } ssl)
            b.SslMode = SslModeOf(url, ssl);
        if ((url.Option("sslca") ?? url.Option("ssl-ca")) is { } ca)
            b.SslCa = ca;
        if ((url.Option("sslcert") ?? url.Option("ssl-cert")) is { } cert)
            b.SslCert = cert;
        if ((url.Option("sslkey") ?? url.Option("ssl-key")) is { } key)
            b.SslKey = key;
        if (url.Option("allow_public_key_retrieval") is { } retrieval)
            b.AllowPublicKeyRetrieval = Flag(url, "allow_public_key_retrieval", retrieval);
        return Harden(b);
    }

    /// <summary>
    /// The settings Swap's sessions need whatever the host chose: unpooled (a pooled connection
    /// keeps its server session, and with it a <c>GET_LOCK</c>, after Dispose), CHAR(36) keys read
    /// as strings, and no command timeout (statements are bounded by lock waits and cancellation).
    /// </summary>
    public static MySqlConnectionStringBuilder Harden(MySqlConnectionStringBuilder b)
    {
        b.Pooling = false;
        b.GuidFormat = MySqlGuidFormat.None;
        b.DefaultCommandTimeout = 0;
        b.PersistSecurityInfo = false;
        return b;
    }


    /// <summary>The MySQL client's spellings (<c>DISABLED</c>, <c>VERIFY_CA</c>, <c>VERIFY_IDENTITY</c>) and MySqlConnector's.</summary>
    internal static MySqlSslMode SslModeOf(DatabaseUrl url, string text) =>
        text.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant() switch
        {
            "disabled" or "none" or "disable" => MySqlSslMode.None,
            "preferred" or "prefer" => MySqlSslMode.Preferred,
            "required" or "require" => MySqlSslMode.Required,
            "verifyca" => MySqlSslMode.VerifyCA,
            "verifyidentity" or "verifyfull" => MySqlSslMode.VerifyFull,
            _ => throw url.BadOption($"sslmode={text} is not one of disabled, preferred, required, verify_ca, verify_identity"),
        };

    private static bool Flag(DatabaseUrl url, string name, string text) => text.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw url.BadOption($"{name}={text} is not true or false"),
    };

}
