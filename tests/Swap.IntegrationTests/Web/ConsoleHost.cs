using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Web;

/// <summary>
/// <c>swap serve</c> running in-process on a free port (<c>--listen 127.0.0.1:0</c>), as the whole CLI
/// program: the URL is read from what it prints. Disposing stops it as Ctrl+C would.
/// </summary>
public sealed partial class ConsoleHost : IAsyncDisposable
{
    public const string Token = "console-test-token-0123456789";

    private readonly CancellationTokenSource stop = new();
    private RunningCli cli = null!;

    public Uri Url { get; private set; } = null!;

    public string Output => cli.Out.Text + cli.Err.Text;

    public static async Task<ConsoleHost> StartAsync(TestTarget target, params string[] more)
    {
        var host = new ConsoleHost();
        host.cli = SwapCli.Start(target, ["serve", "--listen", "127.0.0.1:0", "--token", Token, .. more], host.stop.Token);
        await host.cli.WaitForOutputAsync("Press Ctrl+C to stop.", 90);
        host.Url = new Uri(UrlLine().Match(host.cli.Out.Text).Value);
        return host;
    }

    /// <summary>A client that sends <paramref name="bearer"/> (none when null).</summary>
    public HttpClient Client(string? bearer = Token)
    {
        var client = new HttpClient { BaseAddress = Url };
        if (bearer is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static StringContent Body(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    /// <summary>Waits until the run this console started has finished, and returns it.</summary>
    public async Task<JsonElement> WaitForRunAsync(HttpClient client, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var run = (await JsonAsync(await client.GetAsync(new Uri("api/run", UriKind.Relative)))).GetProperty("run");
            if (run.ValueKind == JsonValueKind.Object && run.TryGetProperty("finishedAtUtc", out _))
                return run;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"The console's run did not finish within {seconds}s: {run}\n{Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>Stops the console as Ctrl+C does and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await stop.CancelAsync();
        return (await cli.Completion.WaitAsync(TimeSpan.FromSeconds(60))).ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!cli.Completion.IsCompleted)
            await StopAsync();
        stop.Dispose();
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/")]
    private static partial Regex UrlLine();
}
