using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Swap.Cli.Output;

namespace Swap.Cli.Web;

internal sealed partial class ConsoleServer
{
    private static readonly Dictionary<string, string> AssetTypes = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["console.css"] = "text/css; charset=utf-8",
        ["console.js"] = "text/javascript; charset=utf-8",
        ["favicon.svg"] = "image/svg+xml",
    };

    // Every read answers HEAD as GET, headers without the body (Kestrel drops a HEAD response's body).
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>The page (served from the assembly, no data in it), signing in and out.</summary>
    private static void MapPage(WebApplication app, ConsoleAccess access, ConsoleSettings settings, ConsoleTarget target, ILogger logger)
    {
        app.MapMethods("/", GetOrHead, (HttpContext context) => Asset(context, "index.html"));
        app.MapMethods("/assets/{name}", GetOrHead, (HttpContext context, string name) => Asset(context, name));
        app.MapPost("/api/login", (HttpContext context) => Guard(context, async _ =>
        {
            if (ConsoleAccess.OriginProblem(context.Request) is { } origin)
            {
                WebLog.Refused(logger, "POST", "/api/login", Remote(context), origin);
                await Error(context, StatusCodes.Status403Forbidden, "forbidden", $"Refused: {origin}.");
                return;
            }
            var body = await ReadBodyAsync<LoginRequest>(context);
            if (!access.IsToken(body?.Token))
            {
                WebLog.Refused(logger, "POST", "/api/login", Remote(context), "wrong token");
                await Error(context, StatusCodes.Status401Unauthorized, "unauthorized", "Wrong token. 'swap serve' printed it at start (or was given --token / SWAP_CONSOLE_TOKEN).");
                return;
            }
            context.Response.Cookies.Append(ConsoleAccess.CookieName, access.SessionValue, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", Secure = context.Request.IsHttps, IsEssential = true });
            WebLog.LoggedIn(logger, Remote(context), target.Time.GetUtcNow().UtcDateTime);
            await Json(context, target, new { csrf = access.CsrfValue, readOnly = settings.ReadOnly });
        }));
        app.MapPost("/api/logout", (HttpContext context) =>
        {
            context.Response.Cookies.Delete(ConsoleAccess.CookieName, new CookieOptions { Path = "/" });
            return Results.NoContent();
        });
    }

    private static void MapReads(WebApplication app, ConsoleAccess access, ConsoleSettings settings, ConsoleTarget target, LiveFeed feed, ConsoleRuns runs)
    {
        app.MapMethods("/api/session", GetOrHead, (HttpContext context) => Json(context, target, new
        {
            target = target.DisplayName,
            readOnly = settings.ReadOnly,
            // Only a page needs it, and only a page signed in with the cookie.
            csrf = context.Items[typeof(AccessKind)] is AccessKind.Cookie ? access.CsrfValue : null,
            version = CliVersion.Version,
            actions = settings.ReadOnly ? Array.Empty<string>() : ActionNames,
        }));
        app.MapMethods("/api/overview", GetOrHead, (HttpContext context) => Guard(context, async ct =>
        {
            var report = await target.Migrator().StatusAsync(ct);
            await Json(context, target, StatusView.ToJson(report));
        }));
        app.MapMethods("/api/plan", GetOrHead, (HttpContext context, string? what) => Guard(context, async ct =>
        {
            var up = await SelectAsync(target, what, null, ct);
            var plan = await target.Migrator().PlanAsync(up, ct);
            await Json(context, target, new { what = what ?? "all", steps = up.Steps, plan.Target, plan.Scripts });
        }));
        app.MapMethods("/api/live", GetOrHead, (HttpContext context) => Guard(context, async ct =>
        {
            var (report, samples) = await feed.ReadAsync(ct);
            await Json(context, target, LiveJson(report, samples, runs));
        }));
        app.MapMethods("/api/run", GetOrHead, (HttpContext context) => Json(context, target, new { run = runs.Latest }));
        // Server-sent events: the live status about once a second, until the page goes away.
        app.MapMethods("/api/events", GetOrHead, async (HttpContext context) =>
        {
            var ct = context.RequestAborted;
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            // A stream has no end to send the headers of: HEAD gets them at once.
            if (HttpMethods.IsHead(context.Request.Method))
                return;
            await context.Response.WriteAsync("retry: 2000\n\n", ct);
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    string data;
                    try
                    {
                        var (report, samples) = await feed.ReadAsync(ct);
                        data = target.Json(LiveJson(report, samples, runs));
                    }
                    catch (Exception e) when (e is SwapException or System.Data.Common.DbException)
                    {
                        data = target.Json(new { error = new { kind = "unreachable", message = e.Message }, run = runs.Latest });
                    }
                    await context.Response.WriteAsync($"event: live\ndata: {data}\n\n", ct);
                    await context.Response.Body.FlushAsync(ct);
                    await Task.Delay(TimeSpan.FromSeconds(1), target.Time, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The page closed.
            }
        });
        app.MapMethods("/api/rehearsal", GetOrHead, async (HttpContext context) =>
        {
            if (LatestRehearsal(settings.RehearsalsFolder) is not { } folder)
            {
                await Error(context, StatusCodes.Status404NotFound, "not-found", $"No rehearsal report in {settings.RehearsalsFolder}. 'swap rehearse' writes one there (or pass --rehearsals <folder>).");
                return;
            }
            var json = await File.ReadAllTextAsync(Path.Combine(folder, "rehearsal.json"), context.RequestAborted);
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(target.Redact($"{{\"folder\":{JsonSerializer.Serialize(folder)},\"report\":{json}}}"), context.RequestAborted);
        });
        app.MapMethods("/rehearsal", GetOrHead, async (HttpContext context) =>
        {
            if (LatestRehearsal(settings.RehearsalsFolder) is not { } folder || !File.Exists(Path.Combine(folder, "rehearsal.html")))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync($"No rehearsal report in {settings.RehearsalsFolder}.", context.RequestAborted);
                return;
            }
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(target.Redact(await File.ReadAllTextAsync(Path.Combine(folder, "rehearsal.html"), context.RequestAborted)), context.RequestAborted);
        });
    }

    private static object LiveJson(LiveReport report, IReadOnlyDictionary<string, LiveSample[]> samples, ConsoleRuns runs) => new
    {
        live = LiveView.ToJson(report),
        samples,
        run = runs.Latest,
    };

    /// <summary>The newest report folder under <paramref name="folder"/> (names are UTC times), or the folder itself when it holds a report.</summary>
    private static string? LatestRehearsal(string folder)
    {
        if (File.Exists(Path.Combine(folder, "rehearsal.json")))
            return folder;
        if (!Directory.Exists(folder))
            return null;
        return Directory.GetDirectories(folder)
            .Where(d => File.Exists(Path.Combine(d, "rehearsal.json")))
            .OrderByDescending(d => Directory.GetLastWriteTimeUtc(d))
            .ThenByDescending(d => d, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>
    /// What "next step", "next group" and "all" mean for <c>up</c> and <c>plan</c>: one script; the
    /// scripts of the next pending script's group that run one after another from it; everything pending.
    /// </summary>
    internal static async Task<UpOptions> SelectAsync(ConsoleTarget target, string? what, TimeSpan? budget, CancellationToken ct)
    {
        switch (what ?? "all")
        {
            case "step":
                return new UpOptions { Steps = 1, TimeBudget = budget };
            case "all":
                return new UpOptions { TimeBudget = budget };
            case "group":
                var status = await target.Migrator().StatusAsync(ct);
                var pending = status.Scripts.Where(s => s.Script is not null && s.Status is ScriptStatus.Pending or ScriptStatus.Failed or ScriptStatus.Interrupted or ScriptStatus.Running).ToList();
                if (pending.Count == 0)
                    return new UpOptions { Steps = 1, TimeBudget = budget };
                var group = pending[0].Group;
                var count = group is null ? 1 : pending.TakeWhile(s => s.Group == group).Count();
                return new UpOptions { Steps = count, TimeBudget = budget };
            default:
                throw new SwapException(SwapErrorKind.Usage, $"'what' is step, group or all, not '{what}'.");
        }
    }

    private static async Task Asset(HttpContext context, string name)
    {
        if (!AssetTypes.TryGetValue(name, out var type) || typeof(ConsoleServer).Assembly.GetManifestResourceStream("Swap.Cli.Web.Assets." + name) is not { } stream)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await using (stream)
        {
            context.Response.ContentType = type;
            await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    internal static Task Json(HttpContext context, ConsoleTarget target, object value, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(target.Json(value), context.RequestAborted);
    }

    /// <summary>Runs a handler; a Swap error becomes the CLI's JSON error with an HTTP status that fits its exit code.</summary>
    internal static async Task Guard(HttpContext context, Func<CancellationToken, Task> handler)
    {
        try
        {
            await handler(context.RequestAborted);
        }
        catch (SwapException e)
        {
            await Error(context, StatusOf(e.Kind), ConsoleRuns.Kebab(e.Kind), e.Message, (int)e.Kind);
        }
        catch (Exception e) when (e is System.Data.Common.DbException)
        {
            await Error(context, StatusCodes.Status502BadGateway, "failure", "the database reported: " + e.Message, (int)SwapErrorKind.Failure);
        }
    }

    internal static int StatusOf(SwapErrorKind kind) => kind switch
    {
        SwapErrorKind.Usage => StatusCodes.Status400BadRequest,
        SwapErrorKind.LockHeld or SwapErrorKind.NoSwapRunning => StatusCodes.Status409Conflict,
        SwapErrorKind.Connection => StatusCodes.Status503ServiceUnavailable,
        SwapErrorKind.Refused or SwapErrorKind.InvalidMigration or SwapErrorKind.ValidationFailed => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status500InternalServerError,
    };

    internal static async Task<T?> ReadBodyAsync<T>(HttpContext context)
        where T : class
    {
        if (context.Request.ContentLength is 0 || !(context.Request.ContentType ?? "").Contains("json", StringComparison.OrdinalIgnoreCase))
            return null;
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, BodyOptions, context.RequestAborted);
        }
        catch (JsonException e)
        {
            throw new SwapException(SwapErrorKind.Usage, "The request body is not valid JSON: " + e.Message);
        }
    }

    private static readonly JsonSerializerOptions BodyOptions = new(JsonSerializerDefaults.Web);

    private sealed record LoginRequest(string? Token);
}
