using System.Diagnostics;

namespace Swap.Scenarios.Online.Engines;

/// <summary>
/// Installs the peer tools a run needs when they are missing: percona-toolkit (with DBD::mysql)
/// for MariaDB, postgresql-15-repack for PostgreSQL, and GNU time for exact peak RSS. Uses apt-get
/// as root, with a temporary policy-rc.d so no package starts a system service.
/// </summary>
internal static class PeerTools
{
    private const string Policy = "/usr/sbin/policy-rc.d";

    public static async Task EnsureAsync(IEnumerable<string> engines, bool install, Action<string> log, CancellationToken ct)
    {
        var missing = new List<string>();
        if (!File.Exists("/usr/bin/time"))
            missing.Add("time");
        foreach (var engine in engines.Distinct())
        {
            if (engine == "mariadb")
            {
                if (!File.Exists("/usr/bin/pt-online-schema-change"))
                    missing.Add("percona-toolkit");
                if (await RunAsync("perl", ["-MDBD::mysql", "-e", "1"], ct) != 0)
                    missing.Add("libdbd-mysql-perl");
            }
            else if (engine == "postgres")
            {
                if (!File.Exists("/usr/bin/pg_repack") || !File.Exists("/usr/share/postgresql/15/extension/pg_repack.control"))
                    missing.Add("postgresql-15-repack");
            }
        }
        if (missing.Count == 0)
            return;
        if (!install)
            throw new InvalidOperationException($"Missing peer tools: apt-get install {string.Join(' ', missing)} (or run without --no-install, as root).");
        if (Environment.UserName != "root")
            throw new InvalidOperationException($"Missing peer tools and not root: sudo apt-get install -y {string.Join(' ', missing)}");
        log($"Installing {string.Join(' ', missing)} with apt-get");
        var ownPolicy = !File.Exists(Policy);
        if (ownPolicy)
        {
            await File.WriteAllTextAsync(Policy, "#!/bin/sh\nexit 101\n", ct);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(Policy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        try
        {
            if (await RunAsync("apt-get", ["update", "-q"], ct) != 0)
                throw new InvalidOperationException("apt-get update failed.");
            if (await RunAsync("apt-get", ["install", "-y", "-q", "--no-install-recommends", .. missing], ct) != 0)
                throw new InvalidOperationException($"apt-get install {string.Join(' ', missing)} failed.");
        }
        finally
        {
            if (ownPolicy)
                File.Delete(Policy);
        }
    }

    private static async Task<int> RunAsync(string file, string[] args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync(ct);
            var error = p.StandardError.ReadToEndAsync(ct);
            await p.WaitForExitAsync(ct);
            await Task.WhenAll(output, error);
            return p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 127;
        }
    }
}
