namespace Swap.MySql.Client;

/// <summary>TLS policy for a connection.</summary>
public enum MySqlSslMode
{
    /// <summary>Never use TLS.</summary>
    None,
    /// <summary>Use TLS when the server offers it, otherwise connect in clear text.</summary>
    Preferred,
    /// <summary>Require TLS; do not verify the server certificate.</summary>
    Required,
    /// <summary>Require TLS and verify the server certificate against <c>SslCa</c>. libmariadb also checks the host name.</summary>
    VerifyCA,
    /// <summary>Require TLS, verify the certificate and that it names the host.</summary>
    VerifyFull,
}
