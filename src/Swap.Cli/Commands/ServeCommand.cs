using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using Swap.Cli.Web;
using Swap.History;

namespace Swap.Cli.Commands;

/// <summary>
/// <c>swap serve</c>: the web console. Listens on loopback by default, needs a token for everything but
/// the page itself, and serves no action with <c>--read-only</c>. Runs until Ctrl+C.
/// </summary>
internal sealed class ServeCommand : ICommand
{
    public const string TokenVariable = "SWAP_CONSOLE_TOKEN";

    public Command Build(Invocation invocation)
    {
        var listen = new Option<string>("--listen") { HelpName = "host:port", Description = "Where to listen (default 127.0.0.1:8080; port 0 picks a free one). Anything but loopback exposes the console to the network, over plain HTTP.", DefaultValueFactory = _ => "127.0.0.1:8080" };
        var token = new Option<string?>("--token") { HelpName = "token", Description = $"The token actions and reads need (default: ${TokenVariable}, else a new one printed at start)." };
        var readOnly = new Option<bool>("--read-only") { Description = "Serve the overview, live view, plan and rehearsal report, but no action (no route exists for one)." };
        var rehearsals = new Option<string?>("--rehearsals") { HelpName = "folder", Description = "Where 'swap rehearse' wrote its reports; the newest is shown (default ./swap-rehearsals)." };
        var command = new Command("serve", "Serve the web console: status, the running swap live, the plan, the latest rehearsal report, and (unless --read-only) step-by-step upgrades and the operator's commands, for a browser or scripts (JSON under /api).") { listen, token, readOnly, rehearsals };
        // The engine settings of 'up', for the runs started from the page.
        var swap = new SwapRunOptions();
        foreach (var option in new Option[] { swap.KeepOld, swap.AlwaysCopy, swap.ChunkTime, swap.ChunkSize, swap.MaxChunkSize, swap.CutOverWait, swap.CutOverRetries, swap.SqliteOnline, swap.SqliteIndexesAfterCopy, swap.Replicas, swap.MaxReplicaLag, swap.MaxLoad, swap.CriticalLoad, swap.ThrottleQuery })
            command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var (address, port) = ConsoleSettings.ParseListen(parse.GetValue(listen)!);
            var fromOption = parse.GetValue(token);
            var given = fromOption ?? invocation.Environment(TokenVariable);
            if (given is { Length: < 16 })
                throw new SwapException(SwapErrorKind.Usage, fromOption is not null
                    ? "The console token must be at least 16 characters; leave out --token to have one generated."
                    : $"The console token in {TokenVariable} must be at least 16 characters; unset {TokenVariable} to have one generated.");
            var settings = new ConsoleSettings
            {
                Address = address,
                Port = port,
                Token = given ?? ConsoleAccess.NewToken(),
                ReadOnly = parse.GetValue(readOnly),
                RehearsalsFolder = Path.GetFullPath(parse.GetValue(rehearsals) ?? "swap-rehearsals", invocation.WorkingDirectory),
            };
            var cli = invocation.Settings(parse);
            var url = cli.RequireDb();
            invocation.Out.AddSecretValue(cli.Db, url.ToString());
            invocation.Err.AddSecretValue(cli.Db, url.ToString());
            if (url.Engine == DatabaseEngine.Sqlite && url.Database != ":memory:" && !File.Exists(url.Database))
                throw new SwapException(SwapErrorKind.Connection, $"{url}: the SQLite file does not exist. Check the path, or create it with 'swap up' first.");
            var database = Databases.Open(url, invocation.Logging(parse), mustExist: true);
            var target = new ConsoleTarget(
                database,
                RunnerTables.FromPrefix(cli.HistoryPrefix),
                invocation.Time,
                configure => invocation.Migrator(parse, o =>
                {
                    swap.Apply(parse, o, invocation);
                    configure?.Invoke(o);
                }).Migrator,
                invocation.Out.Redact);
            // Fail now, with the CLI's exit codes, on an unreachable database (5) or scripts that cannot load (6).
            await target.Migrator().StatusAsync(ct);

            await using var server = await ConsoleServer.StartAsync(settings, target, invocation.LogProvider(parse), ct);
            var w = invocation.Out;
            w.WriteLine($"Swap console for {database.DisplayName} on {server.Url}{(settings.ReadOnly ? " (read-only)" : "")}");
            if (given is null)
                w.WriteLine($"Token: {settings.Token}");
            if (!IPAddress.IsLoopback(address))
                w.WriteLine("Warning: listening beyond loopback over plain HTTP; the token crosses the network in the clear. Prefer an SSH tunnel to 127.0.0.1.");
            w.WriteLine("Press Ctrl+C to stop.");
            w.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                var busy = server.Runs.Busy;
                await server.StopAsync();
                // Stopping while a run is in progress interrupts it: report it as Ctrl+C during 'up' does.
                if (busy)
                    throw;
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
