using System.CommandLine;
using System.Globalization;
using Swap.Cli.Output;
using Swap.Discovery;
using Swap.History;
using Swap.PostgreSql;
using Swap.Rehearsal;
using Swap.Sqlite;

namespace Swap.Cli.Commands;

/// <summary>
/// <c>swap rehearse --on &lt;staging&gt; [--db &lt;production&gt;] [--clone-from &lt;url&gt;] [--report DIR]</c>:
/// runs every pending script on staging with the real engine and writes a report; production is only read.
/// </summary>
internal sealed class RehearseCommand : ICommand
{
    public Command Build(Invocation invocation)
    {
        var on = new Option<string>("--on") { HelpName = "url", Description = "The staging database to run the pending scripts on (it is changed; production never is).", Required = true };
        var cloneFrom = new Option<string?>("--clone-from") { HelpName = "url", Description = "First make --on as a copy of this database: SQLite backup API, or PostgreSQL CREATE DATABASE ... TEMPLATE on the same server (nothing may be connected to it)." };
        var reportDir = new Option<string?>("--report") { HelpName = "folder", Description = "Folder for rehearsal.md, rehearsal.json and rehearsal.html (default swap-rehearsals/<UTC time>)." };
        var load = new Option<double?>("--load") { HelpName = "rate", Description = "During the rehearsal, update rows of the staging tables at this many writes per second (one connection) and report the writes' p99 during each step." };
        var command = new Command("rehearse", "Run every pending script on a staging database with the real engine and report each step; with --db, read production (never write) and project the durations there.") { on, cloneFrom, reportDir, load };
        // The same engine settings as 'up', so the rehearsal runs as production will; not --time-budget: a rehearsal runs everything.
        var swap = new SwapRunOptions();
        foreach (var option in new Option[] { swap.KeepOld, swap.AlwaysCopy, swap.ChunkTime, swap.ChunkSize, swap.MaxChunkSize, swap.CutOverWait, swap.CutOverRetries, swap.SqliteOnline, swap.SqliteIndexesAfterCopy })
            command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var settings = invocation.Settings(parse);
            var staging = Resolve(invocation, parse.GetValue(on)!);
            var production = string.IsNullOrWhiteSpace(settings.Db) ? null : Resolve(invocation, settings.Db);
            var source = parse.GetValue(cloneFrom) is { } c ? Resolve(invocation, c) : null;
            foreach (var (raw, url) in new[] { (parse.GetValue(on), staging), (settings.Db, production), (parse.GetValue(cloneFrom), source) })
            {
                invocation.Out.AddSecretValue(raw, url?.ToString() ?? "***");
                invocation.Err.AddSecretValue(raw, url?.ToString() ?? "***");
            }
            settings.RequireMigrations();
            if (parse.GetValue(load) is { } rate && !(rate > 0 && rate <= StagingWriter.MaxRate))
                throw new SwapException(SwapErrorKind.Usage, $"--load {rate.ToString(CultureInfo.InvariantCulture)}: give the writes per second of the load, more than 0 and at most {StagingWriter.MaxRate:N0}.");
            if (production is not null && SameDatabase(staging, production))
                throw new SwapException(SwapErrorKind.Usage, $"--on {staging} is the production database (--db); a rehearsal runs on a staging copy and only reads production.");
            if (production is not null)
                RequireFile(production, "--db");
            var logging = invocation.Logging(parse);
            var stagingDb = Databases.Open(staging, logging, mustExist: true);
            var productionDb = production is null ? null : Databases.Open(production, logging, mustExist: true);
            var options = new MigratorOptions
            {
                Tables = RunnerTables.FromPrefix(settings.HistoryPrefix),
                LockTimeout = settings.LockTimeout,
                TimeProvider = invocation.Time,
            };
            swap.Apply(parse, options);
            var json = invocation.Json(parse);
            if (!json && !parse.GetValue(invocation.Globals.Quiet))
                options.Swap.Progress = new ProgressView(invocation.Err, invocation.ErrIsTerminal, invocation.Time);
            foreach (var folder in settings.Migrations)
                options.Sources.Add(MigrationSource.Folder(folder));
            foreach (var dll in settings.Assemblies)
                options.Sources.Add(MigrationSource.Assembly(MigrationAssemblies.Load(dll)));

            var migrator = new Migrator(stagingDb, options);
            // Scripts that cannot load stop the rehearsal before a clone is made.
            _ = migrator.Catalog;
            if (source is not null)
                await CloneAsync(invocation, source, staging, ct);
            RequireFile(staging, "--on");
            // The same database under another spelling (localhost for 127.0.0.1, a symbolic link): asked of the databases themselves.
            if (productionDb is not null && await stagingDb.IsSameDatabaseAsync(productionDb, ct))
                throw new SwapException(SwapErrorKind.Usage, $"--on {staging} reaches the production database (--db {production}) under another name; a rehearsal runs on a staging copy and only reads production.");
            var report = await migrator.RehearseAsync(new RehearsalOptions { Production = productionDb, ClonedFrom = source?.ToString(), LoadRate = parse.GetValue(load) }, ct);
            var folderPath = parse.GetValue(reportDir) is { } d
                ? Path.GetFullPath(d, invocation.WorkingDirectory)
                : Path.Combine(invocation.WorkingDirectory, "swap-rehearsals", invocation.Time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
            var files = await RehearsalFiles.WriteAsync(report, folderPath, ct);
            Render(invocation, report, files, json);
            return report.ExitCode;
        });
        return command;
    }

    private static async Task CloneAsync(Invocation invocation, DatabaseUrl source, DatabaseUrl staging, CancellationToken ct)
    {
        if (source.Engine != staging.Engine)
            throw new SwapException(SwapErrorKind.Usage, $"--clone-from {source} and --on {staging} are different engines.");
        switch (source.Engine)
        {
            case DatabaseEngine.Sqlite:
                await SqliteClone.CopyAsync(source, staging, ct);
                break;
            case DatabaseEngine.PostgreSql:
                await PostgresClone.CreateFromTemplateAsync(source, staging, ct);
                break;
            default:
                throw new SwapException(
                    SwapErrorKind.Refused,
                    $"--clone-from: MySQL/MariaDB cannot copy a database online (no consistent file copy or template while it runs). Give a staging URL: restore a backup (mariadb-dump, mariabackup) into a staging database and pass it as --on, without --clone-from.");
        }
        invocation.Err.WriteLine($"Cloned {source} into {staging}.");
    }

    /// <summary>A SQLite path relative to the working directory, made absolute; other URLs as given.</summary>
    private static DatabaseUrl Resolve(Invocation invocation, string text)
    {
        var url = DatabaseUrl.Parse(text);
        if (url.Engine != DatabaseEngine.Sqlite || url.Database == ":memory:" || Path.IsPathRooted(url.Database))
            return url;
        return DatabaseUrl.Parse("sqlite:" + Path.GetFullPath(url.Database, invocation.WorkingDirectory));
    }

    /// <summary>A rehearsal never creates a SQLite database at a mistyped path (a clone is made before this is asked).</summary>
    private static void RequireFile(DatabaseUrl url, string option)
    {
        if (url.Engine == DatabaseEngine.Sqlite && url.Database != ":memory:" && !File.Exists(url.Database))
            throw new SwapException(SwapErrorKind.Connection, $"{option} {url}: the SQLite file does not exist. Check the path{(option == "--on" ? ", or pass --clone-from to make it" : "")}.");
    }

    /// <summary>True when two URLs name the same database (and schema): a rehearsal must not run on production.</summary>
    private static bool SameDatabase(DatabaseUrl a, DatabaseUrl b)
    {
        if (a.Engine != b.Engine)
            return false;
        if (a.Engine == DatabaseEngine.Sqlite)
            return string.Equals(Path.GetFullPath(a.Database), Path.GetFullPath(b.Database), StringComparison.Ordinal);
        return string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase)
            && a.Port == b.Port
            && a.Database == b.Database
            && (a.Option("schema") ?? "public") == (b.Option("schema") ?? "public");
    }

    private static void Render(Invocation invocation, RehearsalReport report, IReadOnlyList<string> files, bool json)
    {
        if (json)
        {
            Json.Write(invocation.Out, new { report = RehearsalJson.Shape(report), files });
            return;
        }
        var w = invocation.Out;
        foreach (var s in report.Scripts)
            w.WriteLine($"{s.Outcome}\t{s.Id}\t{Durations.Format(s.Duration)}\t{(s.ProjectedDuration is { } p ? "production ~" + Durations.Format(p) : "-")}\t{s.Verdict}");
        if (report.Scripts.Count == 0)
            w.WriteLine("Nothing to rehearse: staging is up to date.");
        w.WriteLine(report.Succeeded
            ? $"Rehearsed {report.Scripts.Count} script(s) on {report.Staging} in {Durations.Format(report.Duration)}" + (report.ProjectedDuration is { } t ? $"; projected for production: {Durations.Format(t)}." : ".")
            : $"The rehearsal stopped at a failing script (exit code {report.ExitCode}); staging keeps the scripts applied before it.");
        w.WriteLine($"Report: {files[^1]}");
        w.Flush();
    }
}
