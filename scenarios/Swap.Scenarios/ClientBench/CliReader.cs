using System.Diagnostics;
using System.Globalization;
using Swap.MySql.Client;

namespace Swap.Scenarios.ClientBench;

/// <summary>
/// Runs the <c>mariadb</c> command-line client (C, libmariadb) on the same query with output to
/// /dev/null, under <c>/usr/bin/time -v</c> for its peak RSS. The password goes through MYSQL_PWD,
/// never the command line.
/// </summary>
internal static class CliReader
{
    internal static bool Available => File.Exists("/usr/bin/mariadb") && File.Exists("/usr/bin/time");

    internal static BenchResult Run(MySqlConnectionStringBuilder settings, string query, long rows)
    {
        // sh only redirects stdout to /dev/null; the arguments pass through "$@" unquoted-safe.
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-c", "exec /usr/bin/time -v \"$@\" > /dev/null", "sh", "/usr/bin/mariadb", "--no-defaults", "--quick", "-N",
                     "--protocol=TCP", "-h", settings.Server, "-P", settings.Port.ToString(CultureInfo.InvariantCulture), "-u", settings.UserID,
                     "-D", settings.Database, "-e", query })
            start.ArgumentList.Add(arg);
        start.Environment["MYSQL_PWD"] = settings.Password;

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start /bin/sh.");
        var report = process.StandardError.ReadToEnd();
        process.WaitForExit();
        clock.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException("mariadb client failed:\n" + report);
        return new BenchResult("mariadb CLI (C, --quick -N > /dev/null)", rows, clock.Elapsed, MaxRssMb(report), "stdout to /dev/null");
    }

    private static double MaxRssMb(string timeReport)
    {
        const string key = "Maximum resident set size (kbytes):";
        var line = timeReport.Split('\n').FirstOrDefault(l => l.Contains(key, StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line[(line.IndexOf(key, StringComparison.Ordinal) + key.Length)..].Trim(), CultureInfo.InvariantCulture) / 1024.0;
    }
}
