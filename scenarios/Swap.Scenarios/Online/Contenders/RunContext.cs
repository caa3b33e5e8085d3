using System.Diagnostics;
using Swap.Scenarios.Online.Data;
using Swap.Scenarios.Online.Engines;

namespace Swap.Scenarios.Online.Contenders;

/// <summary>A point of a progress curve: seconds since the contender started, fraction done (0..1).</summary>
internal sealed record ProgressPoint(double T, double Fraction);

/// <summary>The moment a contender entered a phase (seconds since it started).</summary>
internal sealed record PhaseMark(double T, string Phase);

/// <summary>Everything a contender needs for one run, and where it records progress and phases.</summary>
internal sealed class RunContext(BenchEngine engine, TableModel table, string workspace, BenchSettings settings, Stopwatch clock, double origin)
{
    private readonly object gate = new();

    public BenchEngine Engine { get; } = engine;

    public TableModel Table { get; } = table;

    public string Workspace { get; } = workspace;

    public BenchSettings Settings { get; } = settings;

    /// <summary>The run's clock (the writer's samples use it too); the contender started at <see cref="Origin"/> seconds on it.</summary>
    public Stopwatch Clock { get; } = clock;

    public double Origin { get; } = origin;

    public List<ProgressPoint> Progress { get; } = [];

    public List<PhaseMark> Phases { get; } = [];

    public double Now => Clock.Elapsed.TotalSeconds - Origin;

    public void Report(double fraction)
    {
        lock (gate)
        {
            if (Progress.Count == 0 || Math.Abs(Progress[^1].Fraction - fraction) > 1e-9)
                Progress.Add(new ProgressPoint(Now, Math.Clamp(fraction, 0, 1)));
        }
    }

    public void Mark(string phase)
    {
        lock (gate)
        {
            if (Phases.Count == 0 || Phases[^1].Phase != phase)
                Phases.Add(new PhaseMark(Now, phase));
        }
    }

    /// <summary>Records that a phase began at <paramref name="t"/> seconds (known only afterwards, from a tool's output); marks stay in time order.</summary>
    public void MarkAt(string phase, double t)
    {
        lock (gate)
        {
            var at = Phases.FindLastIndex(m => m.T <= t) + 1;
            Phases.Insert(at, new PhaseMark(Math.Max(0, t), phase));
        }
    }

    public void Log(string message) => Settings.Log($"    [{Engine.Name}/{Workspace} {Now,7:F2}s] {message}");
}
