using System.Globalization;
using System.Net;

namespace Swap.Cli.Web;

/// <summary>What <c>swap serve</c> was told: where to listen, the token, whether actions are served, where rehearsal reports are.</summary>
internal sealed record ConsoleSettings
{
    /// <summary>The address to listen on (default 127.0.0.1).</summary>
    public required IPAddress Address { get; init; }

    /// <summary>The port; 0 picks a free one (the tests do).</summary>
    public required int Port { get; init; }

    /// <summary>The secret that actions and reads need: as a bearer token, or through the session cookie the page sets after it is entered.</summary>
    public required string Token { get; init; }

    /// <summary>True when no action is served (no route exists for one).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>The folder whose newest subfolder holds the latest <c>rehearsal.json</c> / <c>rehearsal.html</c>.</summary>
    public required string RehearsalsFolder { get; init; }

    /// <summary>Parses <c>--listen host:port</c>: an IP address (IPv6 in brackets), <c>localhost</c>, or <c>*</c> for every address.</summary>
    public static (IPAddress Address, int Port) ParseListen(string text)
    {
        var colon = text.LastIndexOf(':');
        var host = colon > 0 ? text[..colon].Trim('[', ']') : "";
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            throw new SwapException(SwapErrorKind.Usage, $"--listen takes host:port, like 127.0.0.1:8080, [::1]:8080 or *:8080, not '{text}'.");
        var address = host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "0.0.0.0" => IPAddress.Any,
            _ when IPAddress.TryParse(host, out var ip) => ip,
            _ => throw new SwapException(SwapErrorKind.Usage, $"--listen takes an IP address (or localhost, or *) before the port, like 127.0.0.1:8080, not '{host}'."),
        };
        return (address, port);
    }
}
