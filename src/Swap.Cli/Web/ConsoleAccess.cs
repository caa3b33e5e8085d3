using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Swap.Cli.Web;

/// <summary>
/// Who may read and act: a request carries the token as <c>Authorization: Bearer</c> (scripts,
/// dashboards), or the session cookie the page sets once the token is entered. A state-changing
/// request on the cookie must also carry the CSRF token in <c>X-Swap-Csrf</c> and, when the browser
/// sends an <c>Origin</c>, come from this console's own origin: another site can make a browser send
/// the cookie, never that header.
/// </summary>
internal sealed class ConsoleAccess(string token)
{
    public const string CookieName = "swap_console";
    public const string CsrfHeader = "X-Swap-Csrf";

    private readonly byte[] tokenBytes = Encoding.UTF8.GetBytes(token);

    /// <summary>The session cookie's value: derived from the token, so a restart with the same token keeps sessions and a new token ends them.</summary>
    public string SessionValue => Derive("session");

    /// <summary>The CSRF token the page sends back with every action.</summary>
    public string CsrfValue => Derive("csrf");

    public bool IsToken(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), tokenBytes);

    /// <summary>How the request proves it knows the token: null when it does not.</summary>
    public AccessKind? Check(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return IsToken(header[7..].Trim()) ? AccessKind.Bearer : null;
        if (request.Cookies.TryGetValue(CookieName, out var cookie) && Same(cookie, SessionValue))
            return AccessKind.Cookie;
        return null;
    }

    /// <summary>Why a cookie-authenticated request that changes something is refused, or null when it may go on.</summary>
    public string? CsrfProblem(HttpRequest request)
    {
        if (!Same(request.Headers[CsrfHeader].ToString(), CsrfValue))
            return $"missing or wrong {CsrfHeader} header";
        return OriginProblem(request);
    }

    /// <summary>A browser's Origin (or Sec-Fetch-Site) that is not this console's own; null when it is, or when none was sent (not a browser).</summary>
    public static string? OriginProblem(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
            return $"cross-origin request from {origin}";
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
            return $"cross-site request (Sec-Fetch-Site: {site})";
        return null;
    }

    private string Derive(string purpose) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(tokenBytes, Encoding.UTF8.GetBytes("swap-console/" + purpose)));

    private static bool Same(string? a, string b) =>
        a is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    /// <summary>A new random token (32 bytes, URL-safe base64).</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>How a request proved it knows the token.</summary>
internal enum AccessKind
{
    Bearer,
    Cookie,
}
