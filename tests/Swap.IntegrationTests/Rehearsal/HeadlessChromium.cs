using System.Diagnostics;

namespace Swap.IntegrationTests.Rehearsal;

/// <summary>Debian's <c>chromium</c> (build.cake installs it) run headless on a local page: its DOM after load, or a screenshot.</summary>
internal static class HeadlessChromium
{
    public const string Path = "/usr/bin/chromium";

    /// <summary>The page's DOM once it has loaded and its scripts have run.</summary>
    public static async Task<string> DumpDomAsync(string page, int width = 1100, int height = 1500) =>
        (await RunAsync(["--dump-dom", $"--window-size={width},{height}", new Uri(page).AbsoluteUri])).Out;

    /// <summary>Renders the page at <paramref name="width"/> x <paramref name="height"/> into a PNG file.</summary>
    public static async Task ScreenshotAsync(string page, string png, int width, int height) =>
        await RunAsync([$"--screenshot={png}", $"--window-size={width},{height}", "--hide-scrollbars", new Uri(page).AbsoluteUri]);

    private static async Task<(string Out, string Err)> RunAsync(IEnumerable<string> arguments)
    {
        if (!File.Exists(Path))
            throw new InvalidOperationException($"{Path} is missing: run 'dotnet cake --target=Databases' as root (it apt-get installs chromium), or 'sudo apt-get install -y chromium'.");
        var profile = Directory.CreateTempSubdirectory("swap-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            // Its own profile, so that parallel runs (and other Chromium users on the machine) do not share one; no sandbox as root in a container.
            foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", $"--user-data-dir={profile}" }.Concat(arguments))
                start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish in 2 minutes: {await stderr}");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {await stderr}");
            return (await stdout, await stderr);
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
