using System.CommandLine;
using System.Reflection;
using Swap.Cli.Output;

namespace Swap.Cli.Commands;

internal sealed class GenerateCommand : ICommand
{
    public Command Build(Invocation invocation)
    {
        var title = new Argument<string>("title") { Description = "What the migration does, e.g. \"Add nicknames\"; names the file and class." };
        var from = new Option<string>("--from") { HelpName = "dll", Description = "The compiled assembly (.dll) holding the entity classes ([Table] classes).", Required = true };
        var module = new Option<string?>("--module") { HelpName = "name", Description = "The module (folder name) to write into, when several are configured." };
        var command = new Command("generate", "Write a C# migration that brings the live database to the entity classes (new tables, online changes to existing ones, and a DownAsync).") { title, from, module };
        command.SetAction(async (parse, ct) =>
        {
            var dll = Path.GetFullPath(parse.GetValue(from)!, invocation.WorkingDirectory);
            if (!File.Exists(dll))
                throw new SwapException(SwapErrorKind.Usage, $"The entity assembly '{dll}' does not exist. Build it, or fix the path in --from.");
            Type[] types;
            try
            {
                types = MigrationAssemblies.Load(dll).GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                types = e.Types.Where(t => t is not null).ToArray()!;
            }
            var folder = CreateCommand.MigrationsFolder(invocation.Settings(parse), parse.GetValue(module));
            var (_, migrator) = invocation.Migrator(parse);
            var result = await migrator.GenerateAsync(parse.GetValue(title)!, types, folder, ct);
            if (invocation.Json(parse))
            {
                Json.Write(invocation.Out, new { path = result.Path, changes = result.Changes });
                return ExitCodes.Success;
            }
            foreach (var change in result.Changes)
                invocation.Out.WriteLine("change\t" + change);
            invocation.Out.WriteLine(result.NoChanges ? "No changes: the database matches the entities." : Path.GetRelativePath(invocation.WorkingDirectory, result.Path!));
            invocation.Out.Flush();
            return ExitCodes.Success;
        });
        return command;
    }
}
