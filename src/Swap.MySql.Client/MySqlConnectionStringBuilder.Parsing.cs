using System.Globalization;

namespace Swap.MySql.Client;

public sealed partial class MySqlConnectionStringBuilder
{
    /// <summary>
    /// Builds a connection string from a URL such as <c>mysql://user:password@host:3306/database</c>
    /// (user and password percent-decoded; a <c>socket</c> query parameter sets <see cref="UnixSocket"/>).
    /// </summary>
    public static MySqlConnectionStringBuilder FromUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "mysql" && uri.Scheme != "mariadb"))
            throw new ArgumentException("Expected a URL of the form mysql://user:password@host:port/database.", nameof(url));
        var builder = new MySqlConnectionStringBuilder { Server = uri.Host.Trim('[', ']') };
        if (uri.Port > 0) builder.Port = (uint)uri.Port;
        var userInfo = uri.UserInfo;
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        builder.UserID = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
        if (colon >= 0) builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        var database = uri.AbsolutePath.Trim('/');
        if (database.Length > 0) builder.Database = Uri.UnescapeDataString(database);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            var key = Uri.UnescapeDataString(pair[..eq]);
            builder[key == "socket" ? "Unix Socket" : key] = Uri.UnescapeDataString(pair[(eq + 1)..]);
        }
        return builder;
    }

    private static bool ParseBool(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "1" or "on" => true,
        "false" or "no" or "0" or "off" => false,
        _ => throw new FormatException($"'{text}' is not a boolean."),
    };

    private static MySqlSslMode ParseSslMode(string text) => text.Trim().ToLowerInvariant() switch
    {
        "none" or "disabled" => MySqlSslMode.None,
        "preferred" => MySqlSslMode.Preferred,
        "required" => MySqlSslMode.Required,
        "verifyca" or "verify_ca" => MySqlSslMode.VerifyCA,
        "verifyfull" or "verify_identity" or "verify_full" => MySqlSslMode.VerifyFull,
        _ => throw new FormatException($"'{text}' is not an SslMode (None, Preferred, Required, VerifyCA, VerifyFull)."),
    };

    private static string CheckCharset(string text) =>
        string.Equals(text.Trim(), "utf8mb4", StringComparison.OrdinalIgnoreCase)
            ? "utf8mb4"
            : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Only utf8mb4 is supported, not '{text}'."));
}
