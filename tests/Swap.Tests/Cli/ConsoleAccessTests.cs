using System.Net;
using Microsoft.AspNetCore.Http;
using Swap.Cli.Web;

namespace Swap.Tests.Cli;

/// <summary>The web console's pure rules: <c>--listen</c> parsing, the token, the session and CSRF values, the origin check.</summary>
public class ConsoleAccessTests
{
    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080)]
    [InlineData("localhost:9000", "127.0.0.1", 9000)]
    [InlineData("*:8080", "0.0.0.0", 8080)]
    [InlineData("[::1]:8081", "::1", 8081)]
    [InlineData("10.0.0.7:0", "10.0.0.7", 0)]
    public void Listen_takes_an_address_and_a_port(string text, string address, int port)
    {
        var (a, p) = ConsoleSettings.ParseListen(text);
        Assert.Equal(IPAddress.Parse(address), a);
        Assert.Equal(port, p);
    }

    [Theory]
    [InlineData("8080", "--listen takes host:port")]
    [InlineData("127.0.0.1:http", "--listen takes host:port")]
    [InlineData("127.0.0.1:70000", "--listen takes host:port")]
    [InlineData("db.example.com:8080", "--listen takes an IP address")]
    public void A_malformed_listen_is_a_usage_error_that_shows_the_form(string text, string message)
    {
        var e = Assert.Throws<SwapException>(() => ConsoleSettings.ParseListen(text));
        Assert.Equal(SwapErrorKind.Usage, e.Kind);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:8080", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bearer_token_or_the_session_cookie_grant_access_and_nothing_else()
    {
        var access = new ConsoleAccess("the-console-token-123");
        Assert.Equal(AccessKind.Bearer, access.Check(Request(authorization: "Bearer the-console-token-123")));
        Assert.Null(access.Check(Request(authorization: "Bearer the-console-token-12")));
        Assert.Null(access.Check(Request(authorization: "Basic dGhlLWNvbnNvbGUtdG9rZW4tMTIz")));
        Assert.Equal(AccessKind.Cookie, access.Check(Request(cookie: access.SessionValue)));
        // The cookie is derived from the token, not the token itself, and unlike the CSRF value.
        Assert.Null(access.Check(Request(cookie: "the-console-token-123")));
        Assert.Null(access.Check(Request(cookie: access.CsrfValue)));
        Assert.NotEqual(access.SessionValue, new ConsoleAccess("another-console-token").SessionValue);
        Assert.Null(access.Check(Request()));
    }

    [Fact]
    public void An_action_on_the_cookie_needs_the_csrf_header_and_the_consoles_own_origin()
    {
        var access = new ConsoleAccess("the-console-token-123");
        Assert.Contains("X-Swap-Csrf", access.CsrfProblem(Request(cookie: access.SessionValue)), StringComparison.Ordinal);
        Assert.Null(access.CsrfProblem(Request(cookie: access.SessionValue, csrf: access.CsrfValue)));
        Assert.Null(access.CsrfProblem(Request(cookie: access.SessionValue, csrf: access.CsrfValue, origin: "http://127.0.0.1:8080", site: "same-origin")));
        Assert.Contains("cross-origin", access.CsrfProblem(Request(cookie: access.SessionValue, csrf: access.CsrfValue, origin: "http://evil.example")), StringComparison.Ordinal);
        Assert.Contains("cross-site", access.CsrfProblem(Request(cookie: access.SessionValue, csrf: access.CsrfValue, site: "cross-site")), StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_tokens_are_long_url_safe_and_different()
    {
        var a = ConsoleAccess.NewToken();
        Assert.True(a.Length >= 40, a);
        Assert.Matches("^[A-Za-z0-9_-]+$", a);
        Assert.NotEqual(a, ConsoleAccess.NewToken());
    }

    private static HttpRequest Request(string? authorization = null, string? cookie = null, string? csrf = null, string? origin = null, string? site = null)
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Scheme = "http";
        request.Host = new HostString("127.0.0.1", 8080);
        if (authorization is not null)
            request.Headers.Authorization = authorization;
        if (cookie is not null)
            request.Headers.Cookie = $"{ConsoleAccess.CookieName}={cookie}";
        if (csrf is not null)
            request.Headers[ConsoleAccess.CsrfHeader] = csrf;
        if (origin is not null)
            request.Headers.Origin = origin;
        if (site is not null)
            request.Headers["Sec-Fetch-Site"] = site;
        return request;
    }
}
