using System.CommandLine;

namespace Swap.Cli.Commands;

/// <summary>The options of a run that may swap tables, shared by <c>up</c> and <c>down</c>.</summary>
internal sealed class SwapRunOptions
{
    public Option<string?> TimeBudget { get; } = new("--time-budget") { HelpName = "duration", Description = "Stop cleanly once this much time is spent (e.g. 10m): between scripts, or inside a table swap after the chunk in progress; run again to continue." };
    public Option<bool> KeepOld { get; } = new("--keep-old") { Description = "Keep the original of each swapped table as _<table>_swap_old, stale from the cut-over on (unlike a revert window's, which is kept in sync); 'swap cleanup --drop-old' drops them." };
    public Option<string?> ChunkTime { get; } = new("--chunk-time") { HelpName = "duration", Description = "Target time per copy chunk (default 100ms on MySQL/MariaDB, 500ms on PostgreSQL, 50ms on SQLite); the chunk size adapts to it." };
    public Option<string?> SqliteOnline { get; } = new("--sqlite-online") { HelpName = "auto|always|never", Description = "SQLite: swap online (writes continue) from 10,000 rows and rebuild smaller tables in one transaction (auto, the default), or always online, or never." };
    public Option<bool?> SqliteIndexesAfterCopy { get; } = new("--sqlite-indexes-after-copy") { HelpName = "true|false", Description = "SQLite, alone or with true: build the copy's secondary indexes after its rows are in, one CREATE INDEX each, even while the application writes (it waits for each build, about a second per index per million rows); 'false' keeps them current from the empty copy on. Unset: the copy starts bare and gets its indexes at the application's first write during the copy (a table nobody writes is indexed after the copy)." };
    public Option<int?> ChunkSize { get; } = new("--chunk-size") { HelpName = "rows", Description = "Rows in the first copy chunk (default 1000); later chunks adapt to --chunk-time." };
    public Option<int?> MaxChunkSize { get; } = new("--max-chunk-size") { HelpName = "rows", Description = "The largest a copy chunk may grow (default 200000)." };
    public Option<string?> CutOverWait { get; } = new("--cut-over-lock-wait") { HelpName = "duration", Description = "Longest lock wait per cut-over attempt (default 1s)." };
    public Option<int?> CutOverRetries { get; } = new("--cut-over-retries") { HelpName = "n", Description = "Cut-over attempts after the first before giving up with exit 9 (default 10)." };

    public Option<bool> PostponeCutOver { get; } = new("--postpone-cut-over") { Description = "Do everything up to the cut-over, then keep the copy current until 'swap cut-over' (from any host). A restart keeps waiting." };
    public Option<string[]> Replicas { get; } = new("--replica") { HelpName = "url", Description = "A replica (MySQL/MariaDB replica or PostgreSQL standby) of the target, same database and schema; throttle while it lags more than --max-replica-lag (repeatable)." };
    public Option<string?> MaxReplicaLag { get; } = new("--max-replica-lag") { HelpName = "duration", Description = "Throttle while a --replica lags more than this (default 1s; heartbeat-measured, sub-second)." };
    public Option<long?> MaxLoad { get; } = new("--max-load") { HelpName = "n", Description = "Throttle while the server runs more than n other statements (MariaDB Threads_running, PostgreSQL active backends)." };
    public Option<long?> CriticalLoad { get; } = new("--critical-load") { HelpName = "n", Description = "Pause (until 'swap resume') when the server runs more than n other statements." };
    public Option<string?> ThrottleQuery { get; } = new("--throttle-query") { HelpName = "sql", Description = "A query returning one number; throttle while it is above zero." };
    public Option<string?> Metrics { get; } = new("--metrics") { HelpName = "host:port", Description = "Serve the Swap meter's instruments as Prometheus text on http://host:port/metrics while the run lasts." };

    public Option<bool> AlwaysCopy { get; } = new("--always-copy") { Description = "Copy and swap every changed table, even where the engine could change it instantly or in place." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { TimeBudget, KeepOld, AlwaysCopy, ChunkTime, ChunkSize, MaxChunkSize, CutOverWait, CutOverRetries, SqliteOnline, SqliteIndexesAfterCopy, PostponeCutOver, Replicas, MaxReplicaLag, MaxLoad, CriticalLoad, ThrottleQuery, Metrics })
            command.Options.Add(option);
    }

    public TimeSpan? Budget(ParseResult parse) => parse.GetValue(TimeBudget) is { } b ? Durations.Parse(b, "--time-budget") : null;

    /// <summary>Starts the metrics endpoint of <c>--metrics</c>, or returns null.</summary>
    public Output.MetricsEndpoint? StartMetrics(ParseResult parse) =>
        parse.GetValue(Metrics) is { } listen ? Output.MetricsEndpoint.Start(listen) : null;

    /// <summary>Applies the swap options to a migrator's options, opening the replicas of <c>--replica</c>.</summary>
    public void Apply(ParseResult parse, MigratorOptions o, Invocation invocation)
    {
        Apply(parse, o);
        foreach (var text in parse.GetValue(Replicas) ?? [])
        {
            if (!DatabaseUrl.TryParse(text, out var url) || url is null)
                throw new SwapException(SwapErrorKind.Usage, "--replica takes a database URL like mysql://user@replica:3306/db or postgres://user@standby:5432/db?schema=s (a password goes after the user, as user:password@replica).");
            invocation.Out.AddSecretValue(text, url.ToString());
            invocation.Err.AddSecretValue(text, url.ToString());
            o.Swap.Throttle.Replicas.Add(Databases.Open(url, invocation.Logging(parse), mustExist: true));
        }
    }

    /// <summary>Applies the swap options to a migrator's options.</summary>
    public void Apply(ParseResult parse, MigratorOptions o)
    {
        o.Swap.PostponeCutOver = parse.GetValue(PostponeCutOver);
        if (parse.GetValue(MaxReplicaLag) is { } lag)
            o.Swap.Throttle.MaxReplicaLag = Durations.Parse(lag, "--max-replica-lag") is { } l && l > TimeSpan.Zero ? l : throw new SwapException(SwapErrorKind.Usage, "--max-replica-lag must be above zero.");
        if (parse.GetValue(MaxLoad) is { } load)
            o.Swap.Throttle.MaxLoad = load > 0 ? load : throw new SwapException(SwapErrorKind.Usage, "--max-load must be 1 or more.");
        if (parse.GetValue(CriticalLoad) is { } critical)
            o.Swap.Throttle.CriticalLoad = critical > 0 ? critical : throw new SwapException(SwapErrorKind.Usage, "--critical-load must be 1 or more.");
        if (parse.GetValue(ThrottleQuery) is { } query)
            o.Swap.Throttle.Query = !string.IsNullOrWhiteSpace(query) ? query : throw new SwapException(SwapErrorKind.Usage, "--throttle-query needs a query returning one number.");
        o.Swap.KeepOldTables = parse.GetValue(KeepOld);
        o.Swap.SqliteIndexesAfterCopy = parse.GetValue(SqliteIndexesAfterCopy);
        o.AlwaysCopy = parse.GetValue(AlwaysCopy);
        if (parse.GetValue(ChunkTime) is { } t)
            o.Swap.ChunkTargetTime = Durations.ParsePositive(t, "--chunk-time");
        if (parse.GetValue(ChunkSize) is { } size)
            o.Swap.InitialChunkSize = size > 0 ? size : throw new SwapException(SwapErrorKind.Usage, "--chunk-size must be 1 or more.");
        if (parse.GetValue(MaxChunkSize) is { } max)
        {
            o.Swap.MaxChunkSize = max > 0 ? max : throw new SwapException(SwapErrorKind.Usage, "--max-chunk-size must be 1 or more.");
            o.Swap.MinChunkSize = Math.Min(o.Swap.MinChunkSize, max);
        }
        // Only a --chunk-size given above the largest is a contradiction; the default first chunk just starts at the largest.
        if (parse.GetValue(ChunkSize) is not null && o.Swap.InitialChunkSize > o.Swap.MaxChunkSize)
            throw new SwapException(SwapErrorKind.Usage, $"--chunk-size {o.Swap.InitialChunkSize} is above --max-chunk-size {o.Swap.MaxChunkSize}: a chunk never grows past the largest size, so start at or below it.");
        if (parse.GetValue(CutOverWait) is { } w)
            o.Swap.CutOverLockTimeout = Durations.ParsePositive(w, "--cut-over-lock-wait");
        if (parse.GetValue(SqliteOnline) is { } online)
        {
            o.Swap.OneTransactionBelowRows = online.ToLowerInvariant() switch
            {
                "auto" => new OnlineSwapOptions().OneTransactionBelowRows,
                "always" => 0,
                "never" => long.MaxValue,
                _ => throw new SwapException(SwapErrorKind.Usage, $"--sqlite-online takes auto, always or never, not '{online}'."),
            };
        }
        if (parse.GetValue(CutOverRetries) is { } r)
            o.Swap.CutOverRetries = r >= 0 ? r : throw new SwapException(SwapErrorKind.Usage, "--cut-over-retries must be 0 or more.");
    }
}
