using System.CommandLine;
using Swap.Discovery;

namespace Swap.Cli.Commands;

internal sealed class CreateCommand : ICommand
{
    public Command Build(Invocation invocation)
    {
        var title = new Argument<string>("title") { Description = "What the script does, e.g. \"Add user roles\"." };
        var sql = new Option<bool>("--sql") { Description = "A SQL script (the default)." };
        var cs = new Option<bool>("--cs") { Description = "A C# script." };
        var module = new Option<string?>("--module") { HelpName = "name", Description = "The module (folder name) to put it in, when several are configured." };
        var group = new Option<string?>("--group") { HelpName = "name", Description = "Put it in this group folder (YYYY-MM-DD-name; created with today's date if new)." };
        var command = new Command("create", "Write a correctly named script stub.") { title, sql, cs, module, group };
        command.SetAction(parse =>
        {
            if (parse.GetValue(sql) && parse.GetValue(cs))
                throw new SwapException(SwapErrorKind.Usage, "Pick one of --sql and --cs.");
            var settings = invocation.Settings(parse);
            var folder = MigrationsFolder(settings, parse.GetValue(module));
            var path = ScriptTemplates.Create(folder, parse.GetValue(title)!, parse.GetValue(cs) ? ScriptKind.CSharp : ScriptKind.Sql, parse.GetValue(group), invocation.Time.GetUtcNow());
            var relative = Path.GetRelativePath(invocation.WorkingDirectory, path);
            if (invocation.Json(parse))
                Output.Json.Write(invocation.Out, new { path = relative });
            else
            {
                invocation.Out.WriteLine(relative);
                invocation.Out.Flush();
            }
            return ExitCodes.Success;
        });
        return command;
    }

    internal static string MigrationsFolder(CliSettings settings, string? module)
    {
        // A module folder gets its scripts in <module>/migrations (created if new); a folder named
        // 'migrations', or one that already holds scripts, is a migrations folder itself.
        static string Inner(string folder)
        {
            if (Directory.Exists(Path.Combine(folder, "migrations")) || !IsMigrationsFolder(folder))
                return Path.Combine(folder, "migrations");
            return folder;
        }
        static bool IsMigrationsFolder(string folder) =>
            new DirectoryInfo(folder).Name.Equals("migrations", StringComparison.OrdinalIgnoreCase)
            || (Directory.Exists(folder) && (Directory.EnumerateFiles(folder, "*.sql").Any() || Directory.EnumerateFiles(folder, "*.cs").Any()
                || Directory.EnumerateDirectories(folder).Any(d => GroupFolder.IsGroup(Path.GetFileName(d)))));
        static string ModuleName(string folder)
        {
            var info = new DirectoryInfo(folder);
            return info.Name.Equals("migrations", StringComparison.OrdinalIgnoreCase) && info.Parent is not null ? info.Parent.Name : info.Name;
        }

        if (module is not null)
        {
            var match = settings.Migrations.FirstOrDefault(f => ModuleName(f).Equals(module, StringComparison.OrdinalIgnoreCase));
            return match is not null
                ? Inner(match)
                : throw new SwapException(SwapErrorKind.Usage, $"No configured migrations folder belongs to module '{module}'. Configured: {(settings.Migrations.Count == 0 ? "none" : string.Join(", ", settings.Migrations.Select(ModuleName)))}.");
        }
        if (settings.Migrations.Count > 1)
            throw new SwapException(SwapErrorKind.Usage, $"Several migrations folders are configured; say which module with --module ({string.Join(", ", settings.Migrations.Select(ModuleName))}).");
        return settings.Migrations.Count == 1 ? Inner(settings.Migrations[0]) : Path.Combine(settings.WorkingDirectory, "migrations");
    }
}
