using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Swap.Cli.Web;

/// <summary>
/// <c>swap serve</c>: an ASP.NET Core app (minimal APIs, shared framework) that serves the console
/// page from the assembly and the JSON API under <c>/api</c>. Every response passes the password
/// filter; every <c>/api</c> request needs the token; actions are mapped only without
/// <c>--read-only</c>.
/// </summary>
internal sealed partial class ConsoleServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping;
    private Task recorder = Task.CompletedTask;

    private ConsoleServer(WebApplication app, ConsoleRuns runs, CancellationTokenSource stopping)
    {
        this.app = app;
        this.stopping = stopping;
        Runs = runs;
    }

    public ConsoleRuns Runs { get; }

    /// <summary>The address it listens on, with the port actually bound (for port 0).</summary>
    public Uri Url { get; private set; } = null!;

    public static async Task<ConsoleServer> StartAsync(ConsoleSettings settings, ConsoleTarget target, ILoggerProvider logs, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(ConsoleServer).Assembly.GetName().Name,
            // Never the developer exception page (it would show stack traces), whatever ASPNETCORE_ENVIRONMENT says.
            EnvironmentName = Environments.Production,
        });
        // The command owns Ctrl+C (and SIGTERM keeps its default): the host must not swallow them.
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        builder.Logging.ClearProviders().AddProvider(logs).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(settings.Address, settings.Port);
        });
        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Swap.Console");
        var stopping = new CancellationTokenSource();
        var runs = new ConsoleRuns(logger, target.Time, stopping.Token);
        var server = new ConsoleServer(app, runs, stopping);
        var access = new ConsoleAccess(settings.Token);
        var feed = new LiveFeed(target);

        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers["X-Content-Type-Options"] = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["X-Frame-Options"] = "SAMEORIGIN";
            headers["Cache-Control"] = "no-store";
            // The rehearsal report is one self-contained page with inline CSS; everything else loads only from here.
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/rehearsal", StringComparison.Ordinal)
                ? "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
                : "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";
            var path = context.Request.Path;
            var open = path == "/" || path.StartsWithSegments("/assets", StringComparison.Ordinal) || path == "/api/login";
            if (!open)
            {
                var kind = access.Check(context.Request);
                if (kind is null)
                {
                    WebLog.Refused(logger, context.Request.Method, path, Remote(context), "no or wrong token");
                    context.Response.Headers.WWWAuthenticate = "Bearer realm=\"swap\"";
                    await Error(context, StatusCodes.Status401Unauthorized, "unauthorized", "This needs the console's token: 'Authorization: Bearer <token>', or sign in on the page. 'swap serve' printed it at start (or was given --token).");
                    return;
                }
                if (kind == AccessKind.Cookie && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && access.CsrfProblem(context.Request) is { } csrf)
                {
                    WebLog.Refused(logger, context.Request.Method, path, Remote(context), csrf);
                    await Error(context, StatusCodes.Status403Forbidden, "forbidden", $"Refused: {csrf}. Actions from the page carry the {ConsoleAccess.CsrfHeader} header it got from /api/session; scripts use 'Authorization: Bearer <token>'.");
                    return;
                }
                context.Items[typeof(AccessKind)] = kind;
            }
            await next(context);
        });

        MapPage(app, access, settings, target, logger);
        MapReads(app, access, settings, target, feed, runs);
        if (!settings.ReadOnly)
            MapActions(app, target, runs, logger);
        // An unknown route under /api (every action with --read-only) answers in the API's error shape, not with an empty 404.
        // A route asked with the wrong method (GET of an action, POST of a read) is 405 with the methods it takes.
        app.MapFallback("/api/{**rest}", (HttpContext context) =>
        {
            var methods = MethodsOf(app, context.Request.Path);
            if (methods.Count > 0)
            {
                context.Response.Headers.Allow = string.Join(", ", methods);
                return Error(context, StatusCodes.Status405MethodNotAllowed, "method-not-allowed",
                    $"{context.Request.Path} takes {string.Join(" or ", methods)}, not {context.Request.Method}.");
            }
            return Error(context, StatusCodes.Status404NotFound, "not-found",
                $"No such route: {context.Request.Method} {context.Request.Path}." + (settings.ReadOnly && context.Request.Path.StartsWithSegments("/api/actions", StringComparison.Ordinal)
                    ? " The console runs with --read-only: it takes no action."
                    : " GET /api/session lists the actions this console takes; the routes are in docs/web-console.md."));
        });

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new SwapException(SwapErrorKind.Usage, $"--listen {Show(settings.Address, settings.Port)}: cannot listen there ({e.Message}). Pick a free port, like --listen 127.0.0.1:8081.");
        }
        catch (System.Net.Sockets.SocketException e)
        {
            // An address this host does not have (EADDRNOTAVAIL) fails in the socket's bind, not as an IOException.
            await app.DisposeAsync();
            throw new SwapException(SwapErrorKind.Usage, $"--listen {Show(settings.Address, settings.Port)}: cannot listen there ({e.Message}): the address is not one of this host's. Use 127.0.0.1 (the default), 0.0.0.0 for every address, or an address of this host.");
        }
        var bound = app.Urls.First();
        server.Url = new Uri(bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal) + "/");
        WebLog.Listening(logger, target.DisplayName, server.Url.ToString(), settings.ReadOnly ? "read-only" : "actions need the token");
        server.recorder = feed.RecordAsync(logger, stopping.Token);
        return server;
    }

    /// <summary>The methods the console's routes take at <paramref name="path"/> (every route is a literal path); none when no route has it.</summary>
    private static List<string> MethodsOf(WebApplication app, PathString path) =>
        [.. ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => string.Equals("/" + e.RoutePattern.RawText?.TrimStart('/'), path.Value, StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            .Where(m => m != HttpMethods.Head) // every GET takes HEAD too; the methods named are the ones to use
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static string Show(IPAddress address, int port) =>
        (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString()) + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Who sent a request: the remote address and port.</summary>
    internal static string Remote(HttpContext context) =>
        $"{context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}:{context.Connection.RemotePort.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    internal static Task Error(HttpContext context, int status, string kind, string message, int? code = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new { error = new { code, kind, message } }, Output.Json.Options), context.RequestAborted);
    }

    /// <summary>Stops serving: cancels a run in progress (it resumes where it stopped) and waits for it.</summary>
    public async Task StopAsync()
    {
        await stopping.CancelAsync();
        await recorder;
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await app.StopAsync(grace.Token);
        try
        {
            await Runs.DrainAsync().WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // The run ends with the process; what it left is resumable.
        }
    }

    /// <summary>A host lifetime that registers no signal handler.</summary>
    private sealed class CommandLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        // The live-status recorder ends with the token (StopAsync has cancelled it already when it ran).
        await stopping.CancelAsync();
        await recorder;
        await app.DisposeAsync();
        stopping.Dispose();
    }
}
