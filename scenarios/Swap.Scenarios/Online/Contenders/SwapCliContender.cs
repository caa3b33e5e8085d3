using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Swap.Scenarios.Faults;
using Swap.Scenarios.Online.Data;

namespace Swap.Scenarios.Online.Contenders;

/// <summary>
/// Swap as a user runs it: the built <c>swap</c> command (<c>dotnet Swap.Cli.dll</c>) doing
/// <c>swap --db URL up --migrations DIR --chunk-time N</c> over a folder holding the change as a C#
/// migration script, compiled by the command at start with a fresh (cold) compiled-script cache, so
/// start-up and compilation count in its wall time. Peak RSS and CPU come from GNU time. Phases come
/// from the lines the command prints on stderr as each phase ends (<c>swap users: copied 20,000 rows
/// in 1.2 s</c>: the phase began that long before the line arrived), progress from its periodic
/// copy lines; the change-log backlog from a poll of its own. The command does not print its
/// cut-over attempts' durations, so the lock time stays empty for this contender.
/// </summary>
internal partial class SwapCliContender : Contender
{
    private static readonly (string Text, string Phase)[] Endings =
    [
        ("checked", "Preflight"),
        ("created the copy", "CreatingCopy"),
        ("installed capture", "InstallingCapture"),
        ("copied", "Copying"),
        ("built indexes on the copy", "BuildingIndexes"),
        ("verified", "Verifying"),
        ("cut over", "CuttingOver"),
        ("removed capture", "RemovingCapture"),
        ("dropped the old table", "DroppingOld"),
    ];

    public override string Id => "swap-cli";

    public override string Title => "Swap (swap up, C# script)";

    /// <summary>Runs only when <c>--contenders</c> names it (on SQLite, where it is not in the default set).</summary>
    public bool OnRequestOnly { get; init; }

    public override bool OnRequest => OnRequestOnly;

    public override async Task<ContenderOutcome> RunAsync(RunContext context, CancellationToken ct)
    {
        var folder = Path.GetFullPath(Path.Combine(context.Settings.WorkDir, context.Workspace + "-cli"));
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        var migrations = Directory.CreateDirectory(Path.Combine(folder, "migrations")).FullName;
        var cache = Directory.CreateDirectory(Path.Combine(folder, "compiled-cache")).FullName;
        await WriteMigrationAsync(migrations, context.Table, ct);

        var env = new Dictionary<string, string>
        {
            // A fresh, empty cache: the script is compiled in the measured run.
            ["SWAP_CACHE_DIR"] = cache,
            ["NO_COLOR"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        string[] args =
        [
            "exec", context.Settings.SwapCliDll ?? FaultEnvironment.CliDll,
            "--db", context.Engine.UrlText(context.Workspace),
            "up", "--migrations", migrations,
            .. context.Settings.ChunkMsGiven ? new[] { "--chunk-time", context.Settings.ChunkMs.ToString(CultureInfo.InvariantCulture) + "ms" } : [],
        ];
        var attempts = (string?)null;
        context.Mark("start");
        await using var backlog = ChangeLogBacklog.Start(context, ct);
        var exit = await ToolProcess.RunAsync(DotnetHost(), args, env, line =>
        {
            var now = context.Now;
            if (PhaseEnded().Match(line) is { Success: true } ended)
            {
                var what = ended.Groups["what"].Value;
                var took = Seconds(ended.Groups["took"].Value);
                if (what == "done")
                {
                    context.MarkAt("Done", now);
                    context.Report(1);
                }
                else if (Endings.FirstOrDefault(e => what.StartsWith(e.Text, StringComparison.Ordinal)) is { Phase: { } phase })
                {
                    context.MarkAt(phase, now - took);
                    if (phase == "Copying")
                        context.Report(1);
                }
                return;
            }
            if (Copying().Match(line) is { Success: true } copying)
                context.Report(double.Parse(copying.Groups["pct"].Value, CultureInfo.InvariantCulture) / 100);
            else if (Swapped().Match(line) is { Success: true } swapped)
                attempts = swapped.Groups["n"].Value;
        }, ct, folder);
        try
        {
            if (exit.Code != 0)
                throw new InvalidOperationException($"swap up exited with {exit.Code}:\n{string.Join('\n', exit.Tail)}");
            return new ContenderOutcome
            {
                PeakRssMb = exit.PeakRssMb,
                CpuSeconds = exit.CpuSeconds,
                MemorySource = exit.PeakRssMb is not null ? "GNU time maxrss of the swap command (dotnet host, runtime, Roslyn compilation)" : null,
                Version = typeof(Migrator).Assembly.GetName().Version?.ToString(),
                Backlog = backlog?.Points,
                Notes = (context.Settings.SwapCliDll is null ? "the built Swap.Cli.dll, JIT-compiled (the installed tool is precompiled); " : "the swap command as the linux-x64 tool package installs it (ReadyToRun publish); ")
                    + "phases from the command's stderr lines (0.1 s resolution above 1 s)" + (attempts is null ? "" : $"; cut-over attempts: {attempts}"),
            };
        }
        finally
        {
            if (!context.Settings.Keep)
                Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Writes the change into the migrations folder: a C# script here, a SQL script in <see cref="SwapSqlContender"/>.</summary>
    protected virtual Task WriteMigrationAsync(string migrations, TableModel table, CancellationToken ct)
    {
        var className = "BenchChange" + char.ToUpperInvariant(table.Name[0]) + table.Name[1..];
        return File.WriteAllTextAsync(Path.Combine(migrations, $"20261201000000_{className}.cs"), Script(table, className), ct);
    }

    /// <summary>The benchmark's change as a user writes it in a migrations folder (the same calls as <see cref="Worker.BenchChangeMigration"/>).</summary>
    internal static string Script(TableModel table, string className)
    {
        var change = table.Change;
        if (change.AddOnly)
        {
            return $$"""
                // The benchmark's change (--change add-column), written by the harness as a user writes a migration script.
                using Swap.Engine;

                public sealed class {{className}} : Migration
                {
                    public override async Task UpAsync(MigrationContext db)
                    {
                        var t = await db.UseTableForAlterAsync({{Literal(table.Name)}});
                        t.AddColumn(DbColumn.String({{Literal(change.Added.Name)}}, {{change.Added.Length.ToString(CultureInfo.InvariantCulture)}}));
                        await db.DoneUsingTablesAsync({{Literal(table.Name)}});
                    }
                }

                """;
        }
        var s = new StringBuilder();
        s.AppendLine("// The benchmark's change, written by the harness as a user writes a migration script.");
        s.AppendLine("using Swap.Engine;");
        s.AppendLine();
        s.AppendLine($"public sealed class {className} : Migration");
        s.AppendLine("{");
        s.AppendLine("    public override async Task UpAsync(MigrationContext db)");
        s.AppendLine("    {");
        s.AppendLine($"        var t = await db.UseTableForAlterAsync({Literal(table.Name)});");
        s.AppendLine(CultureInfo.InvariantCulture, $"        t.AddColumn(DbColumn.String({Literal(change.Added.Name)}, {change.Added.Length}).NotNull().SetDefault({Literal(change.Default)}), after: {Literal(change.After)});");
        s.AppendLine($"        t.GetColumn({Literal(change.Widened)}).SetType(ColumnType.BigInt);");
        s.AppendLine($"        t.AddIndex(DbIndex.Create({string.Join(", ", change.Index.Columns.Select(Literal))}).Named({Literal(change.Index.Name)}));");
        s.AppendLine($"        await db.DoneUsingTablesAsync({Literal(table.Name)});");
        s.AppendLine("    }");
        s.AppendLine("}");
        return s.ToString();
    }

    private static string Literal(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Seconds in the command's duration form: <c>850 ms</c>, <c>12.3 s</c>, <c>4m 05s</c>, <c>2h 01m</c>.</summary>
    internal static double Seconds(string text)
    {
        var m = DurationText().Match(text);
        double Part(string name) => m.Groups[name].Success ? double.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        return (Part("ms") / 1000) + Part("s") + Part("sec") + (Part("m") * 60) + (Part("min") * 60) + (Part("h") * 3600);
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
            return host;
        return Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
    }

    [GeneratedRegex(@"^swap [^:]+: (?<what>.+) in (?<took>\d+ ms|\d+(?:\.\d+)? s|\d+m \d+s|\d+h \d+m)$")]
    private static partial Regex PhaseEnded();

    [GeneratedRegex(@"^(?:(?<ms>\d+) ms|(?<s>\d+(?:\.\d+)?) s|(?<min>\d+)m (?<sec>\d+)s|(?<h>\d+)h (?<m>\d+)m)$")]
    private static partial Regex DurationText();

    [GeneratedRegex(@"^swap [^:]+: copying [\d,]+ of ~[\d,]+ rows \((?<pct>\d+)\s?%\)")]
    private static partial Regex Copying();

    [GeneratedRegex(@"Swapped in .+ \(cut-over attempts: (?<n>\d+)\)")]
    private static partial Regex Swapped();
}

/// <summary>
/// The <c>swap</c> command over a SQL migration marked <c>-- swap:online</c> (<c>--contenders swap-sql</c>):
/// the same change as <see cref="SwapCliContender"/>'s C# script, as plain <c>ALTER TABLE</c> that Swap
/// parses into the same change set and plans the same way. With <c>--change add-column</c> only.
/// </summary>
internal sealed class SwapSqlContender : SwapCliContender
{
    public override string Id => "swap-sql";

    public override string Title => "Swap (swap up, -- swap:online SQL script)";

    public override bool OnRequest => true;

    protected override Task WriteMigrationAsync(string migrations, TableModel table, CancellationToken ct)
    {
        var change = table.Change;
        if (!change.AddOnly)
            throw new InvalidOperationException("swap-sql runs with --change add-column only.");
        var sql = $"-- swap:online\nALTER TABLE {table.Name} ADD COLUMN {change.Added.Name} VARCHAR({change.Added.Length.ToString(CultureInfo.InvariantCulture)}) NULL;\n";
        return File.WriteAllTextAsync(Path.Combine(migrations, "20261201000000_bench_add_column.sql"), sql, ct);
    }
}
