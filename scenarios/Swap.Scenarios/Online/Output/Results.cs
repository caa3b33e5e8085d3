using Swap.Scenarios.Online.Contenders;
using Swap.Scenarios.Online.Engines;
using Swap.Scenarios.Online.Load;

namespace Swap.Scenarios.Online.Output;

/// <summary>The whole run, as written to results.json.</summary>
internal sealed record BenchReport(string Date, MachineFacts Machine, string Command, IReadOnlyList<EngineReport> Engines)
{
    public double LoadAverageEnd { get; set; }
}

internal sealed record MachineFacts(int Cores, string Cpu, double MemoryGb, string Os, string Kernel, string Dotnet, double LoadAverageStart);

internal sealed record EngineReport(string Engine, string Server, IReadOnlyList<string> PeerVersions, List<GroupReport> Groups)
{
    /// <summary>What sets this run apart in file names: "" or e.g. "-noautoinc-chunk100".</summary>
    public string Variant { get; set; } = "";

    /// <summary>Chunk target time of Swap and pt-online-schema-change (ms).</summary>
    public int ChunkMs { get; set; } = 500;

    /// <summary>True when every tool ran with the <c>--chunk-ms</c> given; false when each ran its own default (Swap's is <see cref="ChunkMs"/>).</summary>
    public bool ChunkMsGiven { get; set; } = true;
}

/// <summary>All contenders on the same data under the same load, in one round.</summary>
internal sealed record GroupReport(string Table, long Rows, string Load, int Round, double TemplateLoadSeconds, int Rate, List<ContenderResult> Contenders)
{
    /// <summary>Connections the writer spread its <see cref="Rate"/> over (0 when idle).</summary>
    public int Writers { get; init; }

    /// <summary>Writes every table received before hashing (the writer's count, topped up to the longest run's).</summary>
    public long WritesCompared { get; set; }

    /// <summary>
    /// Loaded groups: the content of a clone changed natively with no writer, then given writes 0 to
    /// <see cref="WritesCompared"/> in order on one connection (null when not computed: idle, or <c>--no-oracle</c>).
    /// </summary>
    public string? OracleHash { get; set; }

    /// <summary>True when every contender that finished ends with the same content hash (the oracle's, when there is one).</summary>
    public bool ContentMatch { get; set; }
}

/// <summary>A phase of a contender's run: from <see cref="Start"/> to <see cref="End"/> seconds after it started.</summary>
internal sealed record BenchPhase(string Phase, double Start, double End);

internal sealed record ContenderResult(string Id, string Title)
{
    public double WallSeconds { get; set; }

    public double RowsPerSecond { get; set; }

    public double? PeakRssMb { get; set; }

    public double? CpuSeconds { get; set; }

    public string? MemorySource { get; set; }

    public string? Version { get; set; }

    /// <summary>The writer over the baseline seconds before the change started.</summary>
    public LatencyStats? WriterBefore { get; set; }

    /// <summary>The writer while the change ran.</summary>
    public LatencyStats? WriterDuring { get; set; }

    /// <summary>During p99 / before p99.</summary>
    public double? P99Ratio { get; set; }

    /// <summary>The longest a single write waited during the run (ms).</summary>
    public double? LongestStallMs { get; set; }

    /// <summary>The cut-over phase (rename) as seen by the tool, when it reports one.</summary>
    public BenchPhase? CutOver { get; set; }

    /// <summary>The longest a write meant to start during the cut-over (or up to 100 ms before it) waited (ms).</summary>
    public double? CutOverStallMs { get; set; }

    /// <summary>Swap's cut-over attempts (the library worker reports them; the CLI does not print them).</summary>
    public IReadOnlyList<CutOverAttemptRecord>? CutOverAttempts { get; set; }

    /// <summary>How long the successful cut-over attempt ran with the write locks requested or held (ms).</summary>
    public double? CutOverLockMs { get; set; }

    /// <summary>Swap's change-log backlog: [seconds since start, rows in the log], polled every ~200 ms.</summary>
    public List<double[]>? Backlog { get; set; }

    /// <summary>The largest backlog seen.</summary>
    public long? BacklogPeak { get; set; }

    /// <summary>The backlog at the last poll before the cut-over phase began.</summary>
    public long? BacklogAtCutOver { get; set; }

    public long Writes { get; set; }

    public int WriteRetries { get; set; }

    public long TopUpWrites { get; set; }

    public string? Hash { get; set; }

    public long FinalRows { get; set; }

    public bool? SameContent { get; set; }

    public TableShape? Shape { get; set; }

    public List<BenchPhase> Phases { get; set; } = [];

    public List<ProgressPoint> Progress { get; set; } = [];

    /// <summary>Writer latency for the chart: [seconds since start, worst ms] per 100 ms bucket.</summary>
    public List<double[]> Latency { get; set; } = [];

    public IReadOnlyList<ChunkRecord>? Chunks { get; set; }

    /// <summary>What the tool reported about itself (Swap: managed heap, bytes allocated, GCs).</summary>
    public string? Notes { get; set; }

    public string? Error { get; set; }
}
