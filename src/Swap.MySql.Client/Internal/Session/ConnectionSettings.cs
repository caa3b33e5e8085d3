namespace Swap.MySql.Client.Internal.Session;

/// <summary>Immutable, validated connection parameters taken from a <see cref="MySqlConnectionStringBuilder"/>.</summary>
internal sealed class ConnectionSettings
{
    internal ConnectionSettings(MySqlConnectionStringBuilder b)
    {
        var server = b.Server.Trim();
        UnixSocket = b.UnixSocket.Length > 0 ? b.UnixSocket : server.StartsWith('/') ? server : null;
        Host = UnixSocket != null ? "localhost" : server.Length > 0 ? server : "localhost";
        Port = b.Port;
        User = b.UserID;
        Password = b.Password;
        Database = b.Database.Length > 0 ? b.Database : null;
        SslMode = b.SslMode;
        SslCa = b.SslCa.Length > 0 ? b.SslCa : null;
        ConnectTimeoutSeconds = b.ConnectionTimeout;
        DefaultCommandTimeout = (int)Math.Min(b.DefaultCommandTimeout, int.MaxValue);
        AllowUserVariables = b.AllowUserVariables;
        UseAffectedRows = b.UseAffectedRows;
        TreatTinyAsBoolean = b.TreatTinyAsBoolean;
    }

    internal string Host { get; }
    internal string? UnixSocket { get; }
    internal uint Port { get; }
    internal string User { get; }
    internal string Password { get; }
    internal string? Database { get; }
    internal MySqlSslMode SslMode { get; }
    internal string? SslCa { get; }
    internal uint ConnectTimeoutSeconds { get; }
    internal int DefaultCommandTimeout { get; }
    internal bool AllowUserVariables { get; }
    internal bool UseAffectedRows { get; }
    internal bool TreatTinyAsBoolean { get; }

    /// <summary>Where the connection goes, for messages: never contains the password.</summary>
    internal string Endpoint => UnixSocket ?? $"{Host}:{Port}";

    /// <summary>Removes the password from a message produced by the library or server (defence in depth).</summary>
    internal string Scrub(string message) =>
        Password.Length >= 3 ? message.Replace(Password, "********", StringComparison.Ordinal) : message;
}
