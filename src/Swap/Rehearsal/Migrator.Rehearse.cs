using Swap.Rehearsal;

namespace Swap;

public sealed partial class Migrator
{
    /// <summary>
    /// Rehearses <c>up</c> on this migrator's target, which must be a staging copy: every pending
    /// script runs there with the real engine while a recorder notes each step (duration, method,
    /// rows copied, cut-over attempts, failures). With <see cref="RehearsalOptions.Production"/>
    /// production is read, never written, and each step's duration there is projected.
    /// A script that fails ends the rehearsal; its verdict is in the report, not an exception.
    /// </summary>
    public async Task<RehearsalReport> RehearseAsync(RehearsalOptions rehearsal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rehearsal);
        var time = options.TimeProvider;
        var startedAt = time.GetUtcNow();
        var production = rehearsal.Production;
        if (rehearsal.LoadRate is { } asked && !(asked > 0 && asked <= StagingWriter.MaxRate))
            throw new SwapException(SwapErrorKind.Usage, $"--load {asked}: give the writes per second of the load, more than 0 and at most {StagingWriter.MaxRate:N0}.");
        if (production is not null && production.Engine != database.Engine)
            throw new SwapException(SwapErrorKind.Usage, $"Staging ({database.DisplayName}) and production ({production.DisplayName}) run different engines; a rehearsal on one says little about the other.");

        // Production first: an unreachable production stops the rehearsal before staging is changed.
        string? productionVersion = null;
        if (production is not null)
        {
            var (c, tx, version) = await TableProbe.OpenReadOnlyAsync(production, cancellationToken);
            await tx.DisposeAsync();
            await c.DisposeAsync();
            productionVersion = version;
        }
        string stagingVersion;
        await using (var c = await database.OpenConnectionAsync(cancellationToken))
            stagingVersion = await database.ServerVersionAsync(c, cancellationToken);
        // What 'status' says before 'up': on production when it is given (read only), else on staging.
        var (before, basis) = production is null
            ? ((await StatusAsync(cancellationToken)).Scripts, "staging's history before the rehearsal")
            : (await ProductionStatusAsync(production, cancellationToken), "production's history");

        await using var writer = rehearsal.LoadRate is { } rate ? await StagingWriter.StartAsync(database, options.Tables, time, rate, cancellationToken) : null;
        if (writer is not null)
            await Task.Delay(rehearsal.LoadBaseline, time, cancellationToken);
        // The report's times count from here: the load's baseline writes come before (negative starts).
        var recorder = new RehearsalRecorder(time, database.TableEngine.Online, options.Swap.Progress);
        var started = time.GetTimestamp();
        var forward = options.Swap.Progress;
        options.Swap.Progress = recorder;
        Listener = recorder;
        SwapException? failure = null;
        try
        {
            await UpAsync(new UpOptions(), cancellationToken);
        }
        catch (SwapException e) when (recorder.Failed is not null)
        {
            failure = e;
        }
        finally
        {
            options.Swap.Progress = forward;
            Listener = null;
            if (writer is not null)
                await writer.StopAsync();
        }
        var duration = time.GetElapsedTime(started);

        // A staging copy older than production reruns scripts production has applied: 'up' there will not.
        var appliedInProduction = production is null
            ? []
            : before.Where(s => s.Status is ScriptStatus.Applied or ScriptStatus.Changed).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var scripts = recorder.Scripts
            .Select(s => Rehearsed(s, failure))
            .Select(s => s.Outcome == "applied" && appliedInProduction.Contains(s.Id) ? s with { Verdict = RehearsalVerdict.AlreadyApplied } : s)
            .ToList();
        var status = await StatusAsync(cancellationToken);
        foreach (var state in status.Scripts.Where(s => s.Status is ScriptStatus.Pending && scripts.All(r => r.Id != s.Id)))
        {
            scripts.Add(new ScriptRehearsal
            {
                Id = state.Id,
                Kind = state.Script?.Kind == ScriptKind.Sql ? "sql" : "cs",
                Outcome = "not-run",
                Start = duration,
                Verdict = "not rehearsed: an earlier script failed",
            });
        }
        LoadSummary? load = null;
        if (writer is not null)
            (scripts, load) = LoadLatency.Attach(scripts, writer, recorder.Origin, time, rehearsal.LoadRate!.Value);
        var report = new RehearsalReport
        {
            Staging = database.DisplayName,
            Production = production?.DisplayName,
            ClonedFrom = rehearsal.ClonedFrom,
            Engine = database.Engine.ToString(),
            StagingVersion = stagingVersion,
            ProductionVersion = productionVersion,
            StartedAt = startedAt,
            Duration = duration,
            Scripts = scripts,
            SchemaChecks = await PlanPromiseCheck.CompareAsync(database, recorder.Plans, scripts, cancellationToken),
            Status = StatusAfterUpCheck.Compare(before, basis, scripts, status),
            Load = load,
            ExitCode = failure is null ? 0 : (int)failure.Kind,
        };
        return production is null ? report : await RehearsalProjection.ProjectAsync(report, database, production, appliedInProduction, cancellationToken);
    }

    /// <summary>Production's scripts as 'status' there sees them, read in a read-only session (nothing is created when it has no history).</summary>
    private async Task<IReadOnlyList<ScriptState>> ProductionStatusAsync(SwapDatabase production, CancellationToken cancellationToken)
    {
        await using var connection = await TableProbe.OpenReadOnlySessionAsync(production, cancellationToken);
        var recorded = await new History.HistoryStore(production, options.Tables).ReadAsync(connection, cancellationToken);
        return Compare(Catalog.Scripts, recorded, [], lockHeld: false);
    }

    private ScriptRehearsal Rehearsed(RehearsalRecorder.Script s, SwapException? failure)
    {
        // The run stops at the first failure, so the script that failed is the one the run threw for (translated there).
        var error = s.Error is null ? null : failure ?? s.Error;
        var errorKind = error is null ? (SwapErrorKind?)null : (error as SwapException)?.Kind ?? SwapErrorKind.Failure;
        var outcome = error is null ? "applied" : errorKind == SwapErrorKind.Refused ? "refused" : "failed";
        var message = error is null ? null : RehearsalRecorder.Message(error);
        return new ScriptRehearsal
        {
            Id = s.Id,
            Kind = s.Kind,
            Mode = s.Mode switch
            {
                Running.ExecutionMode.Transactional => "one transaction",
                Running.ExecutionMode.Journaled => "journaled steps",
                _ => null,
            },
            Outcome = outcome,
            ErrorKind = errorKind?.ToString(),
            Error = message,
            Start = s.Start,
            Duration = s.Duration,
            Steps = s.Steps.ToList(),
            Verdict = RehearsalVerdict.For(s, outcome, message, s.Steps.Any(st => st.Op == "swap" && st.Method == RehearsalRecorder.OnlineMethod)),
        };
    }
}
