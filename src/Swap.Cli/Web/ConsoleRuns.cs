using Microsoft.Extensions.Logging;

namespace Swap.Cli.Web;

/// <summary>
/// The runs this console started (<c>up</c> and <c>cleanup</c>), one at a time: each runs in the
/// background through the same <see cref="Migrator"/> and run lock as the CLI, so a run from the page
/// and one from a shell never overlap (the second gets "lock held"). The latest run stays readable
/// with its outcome or error until the next starts.
/// </summary>
internal sealed class ConsoleRuns(ILogger logger, TimeProvider time, CancellationToken stopping)
{
    private readonly Lock gate = new();
    private ConsoleRun? latest;
    private Task running = Task.CompletedTask;

    /// <summary>The run in progress, or the last one to finish; null before the first.</summary>
    public ConsoleRun? Latest
    {
        get
        {
            lock (gate)
                return latest;
        }
    }

    /// <summary>True while a run this console started is in progress.</summary>
    public bool Busy => Latest is { FinishedAtUtc: null };

    /// <summary>Starts <paramref name="work"/> in the background; null when a run of this console is still in progress.</summary>
    public ConsoleRun? Start(string what, string remote, Func<CancellationToken, Task<RunOutcome>> work)
    {
        lock (gate)
        {
            if (latest is { FinishedAtUtc: null })
                return null;
            var run = new ConsoleRun(Guid.NewGuid().ToString("N")[..12], what, remote, time.GetUtcNow().UtcDateTime);
            latest = run;
            running = Task.Run(() => RunAsync(run, work), CancellationToken.None);
            return run;
        }
    }

    /// <summary>Waits for the run in progress to end (on shutdown, after it was cancelled).</summary>
    public Task DrainAsync() => running;

    private async Task RunAsync(ConsoleRun run, Func<CancellationToken, Task<RunOutcome>> work)
    {
        ConsoleRun done;
        try
        {
            var outcome = await work(stopping);
            done = run with { Summary = outcome.Summary, Result = outcome.Result };
        }
        catch (SwapException e)
        {
            done = run with { Error = new ConsoleError((int)e.Kind, Kebab(e.Kind), e.Message) };
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            done = run with { Error = new ConsoleError((int)SwapErrorKind.Cancelled, "cancelled", "The console was stopped; 'swap up' (or the console's next run) resumes where it stopped.") };
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException)
        {
            done = run with { Error = new ConsoleError((int)SwapErrorKind.Failure, "failure", "the database reported: " + e.Message) };
        }
#pragma warning disable CA1031 // A background run has no caller: anything else is recorded as its failure (and logged), or the console would show it running forever.
        catch (Exception e)
#pragma warning restore CA1031
        {
            WebLog.RunCrashed(logger, run.What, e);
            done = run with { Error = new ConsoleError((int)SwapErrorKind.Failure, "failure", $"{e.GetType().Name}: {e.Message}") };
        }
        done = done with { FinishedAtUtc = time.GetUtcNow().UtcDateTime };
        lock (gate)
            latest = done;
        WebLog.RunFinished(logger, run.What, run.StartedBy, done.Error is { } error ? $"{error.Kind} (exit code {error.Code}): {error.Message}" : done.Summary ?? "done");
    }

    public static string Kebab(SwapErrorKind kind) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());
}

/// <summary>One run the console started: what, by whom, when, and how it ended.</summary>
internal sealed record ConsoleRun(string Id, string What, string StartedBy, DateTime StartedAtUtc)
{
    public DateTime? FinishedAtUtc { get; init; }

    /// <summary>One line: "Applied 1 script(s) as batch 3.".</summary>
    public string? Summary { get; init; }

    /// <summary>The verb's result as its --json shows it.</summary>
    public object? Result { get; init; }

    public ConsoleError? Error { get; init; }
}

/// <summary>What a run produced.</summary>
internal sealed record RunOutcome(string Summary, object Result);

/// <summary>An error as the CLI's --json reports it: the exit code, its name, the message.</summary>
internal sealed record ConsoleError(int Code, string Kind, string Message);
