using System.Runtime.InteropServices;
using System.Text;
using Swap.MySql.Client.Internal.Native;

namespace Swap.MySql.Client.Internal.Session;

internal sealed unsafe partial class NativeSession
{
    private const uint ProtocolTcp = 1;
    private const int MySqlOptProtocol = 9;
    private static readonly nuint AsyncStackSize = 256 * 1024;

    /// <summary>Opens a connection (blocking). Throws <see cref="MySqlException"/>; the handle is closed on failure.</summary>
    internal static NativeSession Connect(ConnectionSettings settings)
    {
        LibraryResolver.EnsureLoaded();
        var mysql = LibMariaDb.mysql_init(0);
        if (mysql == 0) throw new MySqlException("mysql_init failed: out of memory.", MySqlErrorCodes.OutOfMemory, null);
        try
        {
            SetOptions(mysql, settings);
            var flags = NativeConstants.ClientMultiStatements | NativeConstants.ClientMultiResults;
            if (!settings.UseAffectedRows) flags |= NativeConstants.ClientFoundRows;
            fixed (byte* host = Utf8Z(settings.Host))
            fixed (byte* user = Utf8Z(settings.User))
            fixed (byte* password = Utf8Z(settings.Password))
            fixed (byte* db = Utf8Z(settings.Database))
            fixed (byte* socket = Utf8Z(settings.UnixSocket))
            {
                if (LibMariaDb.mysql_real_connect(mysql, host, user, password, db, settings.Port, socket, new CULong((nuint)flags)) == 0)
                {
                    var number = (int)LibMariaDb.mysql_errno(mysql);
                    var message = Marshal.PtrToStringUTF8(LibMariaDb.mysql_error(mysql)) ?? "connect failed";
                    var sqlState = Marshal.PtrToStringUTF8(LibMariaDb.mysql_sqlstate(mysql));
                    throw new MySqlException(
                        settings.Scrub($"Cannot connect to MySQL/MariaDB at {settings.Endpoint} as '{settings.User}': {message}"),
                        number == 0 ? MySqlErrorCodes.ConnectionError : number,
                        number >= 2000 ? null : sqlState);
                }
            }
            RequireTls(mysql, settings);
            return new NativeSession(mysql, settings);
        }
        catch
        {
            LibMariaDb.mysql_close(mysql);
            throw;
        }
    }

    private static void SetOptions(nint mysql, ConnectionSettings s)
    {
        if (s.ConnectTimeoutSeconds > 0)
        {
            var timeout = s.ConnectTimeoutSeconds;
            Check(LibMariaDb.mysql_options(mysql, MySqlOption.ConnectTimeout, &timeout), "connect timeout");
        }
        fixed (byte* charset = "utf8mb4\0"u8) Check(LibMariaDb.mysql_options(mysql, MySqlOption.SetCharsetName, charset), "charset");
        if (s.UnixSocket is null)
        {
            var protocol = ProtocolTcp; // libmariadb would otherwise turn "localhost" into the default socket
            Check(LibMariaDb.mysql_options(mysql, (MySqlOption)MySqlOptProtocol, &protocol), "protocol");
        }
        var stack = AsyncStackSize;
        Check(LibMariaDb.mysql_options(mysql, MySqlOption.NonBlock, &stack), "non-blocking mode");
        SetTls(mysql, s);
    }

    private static void SetTls(nint mysql, ConnectionSettings s)
    {
        // Verification is always set explicitly: Connector/C 3.4 turned it on by default.
        byte verify = s.SslMode is MySqlSslMode.VerifyCA or MySqlSslMode.VerifyFull ? (byte)1 : (byte)0;
        Check(LibMariaDb.mysql_options(mysql, MySqlOption.SslVerifyServerCert, &verify), "SslMode");
        if (s.SslCa != null && s.SslMode != MySqlSslMode.None)
            fixed (byte* ca = Utf8Z(s.SslCa)) Check(LibMariaDb.mysql_options(mysql, MySqlOption.SslCa, ca), "SslCa");
        if (s.SslMode is MySqlSslMode.None or MySqlSslMode.Preferred) return;
        byte enforce = 1;
        Check(LibMariaDb.mysql_options(mysql, MySqlOption.SslEnforce, &enforce), "SslMode");
    }

    /// <summary>
    /// libmariadb 3.3 silently falls back to clear text when the server lacks TLS unless the
    /// certificate is verified, so Required is enforced here after the handshake.
    /// </summary>
    private static void RequireTls(nint mysql, ConnectionSettings s)
    {
        if (s.SslMode is MySqlSslMode.None or MySqlSslMode.Preferred || LibMariaDb.mysql_get_ssl_cipher(mysql) != 0) return;
        throw new MySqlException(
            $"SslMode={s.SslMode} requires TLS, but the connection to {s.Endpoint} is not encrypted (the server does not offer TLS).",
            MySqlErrorCodes.SslConnectionError, null);
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0) throw new MySqlException($"libmariadb rejected the {what} option.", MySqlErrorCodes.UnknownError, null);
    }

    internal static byte[]? Utf8Z(string? value)
    {
        if (value is null) return null;
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }
}
