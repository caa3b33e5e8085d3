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
        var against = new Option<string?>("--against") { HelpName = "db|migrations", Description = "Compare the entities with the live database (db; the default when --db is given) or with what the migrations already written create (migrations; the default without --db), replayed into a scratch database." };
        var shadow = new Option<string?>("--shadow") { HelpName = "url", Description = "With --against migrations on MySQL/MariaDB or PostgreSQL: the server where Swap creates, fills and drops a scratch database (MySQL) or schema (PostgreSQL). Never production. SQLite needs none (a temporary file)." };
        var sql = new Option<bool>("--sql") { Description = "Write an .up.sql / .down.sql pair in the target engine's SQL (the --db's, else the --shadow's, else SQLite) instead of C#; changes to existing tables are marked -- swap:online, so they still run online." };
        var command = new Command("generate", "Write a migration that brings the database to the entity classes (new tables, online changes to existing ones, foreign keys, and the way back), comparing with the live database or with the migrations already written.") { title, from, module, against, shadow, sql };
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
            var settings = invocation.Settings(parse);
            var folder = CreateCommand.MigrationsFolder(settings, parse.GetValue(module));
            var shadowUrl = parse.GetValue(shadow) is { } s ? DatabaseUrl.Parse(s) : null;
            var hasDb = !string.IsNullOrWhiteSpace(settings.Db);
            var againstMigrations = parse.GetValue(against) switch
            {
                null => !hasDb,
                "migrations" => true,
                "db" => false,
                var other => throw new SwapException(SwapErrorKind.Usage, $"--against {other} is not known; use --against db (the live database) or --against migrations (the migrations already written)."),
            };
            if (!againstMigrations && !hasDb)
                settings.RequireDb();
            if (shadowUrl is not null && !againstMigrations)
                throw new SwapException(SwapErrorKind.Usage, "--shadow is for --against migrations; comparing with the live database (--db) needs none.");
            if (shadowUrl is not null)
            {
                invocation.Out.AddSecretValue(parse.GetValue(shadow)!, shadowUrl.ToString());
                invocation.Err.AddSecretValue(parse.GetValue(shadow)!, shadowUrl.ToString());
            }
            // Without --db the target engine is the shadow's (else SQLite); the migrator's database is then never opened.
            var standIn = shadowUrl ?? DatabaseUrl.Parse("sqlite:" + Path.Combine(Path.GetTempPath(), "swap-generate-target.db"));
            // The first migration of a project: make ./migrations as 'swap create' does, so it is found as the module.
            if (settings.Migrations.Count == 0 && settings.Assemblies.Count == 0)
                Directory.CreateDirectory(folder);
            var (_, migrator) = invocation.Migrator(parse, withoutDb: standIn);
            var options = new GenerateOptions { AgainstMigrations = againstMigrations, Shadow = shadowUrl, Sql = parse.GetValue(sql) };
            var result = await migrator.GenerateAsync(parse.GetValue(title)!, types, folder, options, ct);
            var noChanges = againstMigrations ? "No changes: the migrations already written create what the entities describe." : "No changes: the database matches the entities.";
            if (invocation.Json(parse))
            {
                Json.Write(invocation.Out, new { path = result.Path, downPath = result.DownPath, changes = result.Changes });
                return ExitCodes.Success;
            }
            foreach (var change in result.Changes)
                invocation.Out.WriteLine("change\t" + change);
            if (result.NoChanges)
                invocation.Out.WriteLine(noChanges);
            else
            {
                invocation.Out.WriteLine(Path.GetRelativePath(invocation.WorkingDirectory, result.Path!));
                if (result.DownPath is { } down)
                    invocation.Out.WriteLine(Path.GetRelativePath(invocation.WorkingDirectory, down));
            }
            invocation.Out.Flush();
            return ExitCodes.Success;
        });
        return command;
    }
}
