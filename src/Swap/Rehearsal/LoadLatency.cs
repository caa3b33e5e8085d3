namespace Swap.Rehearsal;

/// <summary>Sorts the load's writes into the steps they started in, and sums up the rest.</summary>
internal static class LoadLatency
{
    public static (List<ScriptRehearsal> Scripts, LoadSummary Load) Attach(List<ScriptRehearsal> scripts, StagingWriter writer, long origin, TimeProvider time, double rate)
    {
        var writes = writer.Writes.Select(w => (Start: w.Started >= origin ? time.GetElapsedTime(origin, w.Started) : -time.GetElapsedTime(w.Started, origin), w.Latency, w.Failed)).ToList();
        var firstScript = scripts.Where(s => s.Outcome != "not-run").Select(s => s.Start).DefaultIfEmpty(TimeSpan.MaxValue).Min();
        WriteLatency? Between(TimeSpan from, TimeSpan to) =>
            WriteLatency.Of(writes.Where(w => w.Start >= from && w.Start < to).Select(w => (w.Latency, w.Failed)).ToList());
        // A write belongs to every step it overlaps: one blocked by a step's lock until the next step counts in both.
        WriteLatency? During(StepRehearsal step) =>
            WriteLatency.Of(writes.Where(w => w.Start < step.Start + step.Duration && w.Start + w.Latency >= step.Start).Select(w => (w.Latency, w.Failed)).ToList());
        var withLoad = scripts.Select(s => s with
        {
            Steps = s.Steps.Select(st => st with { Load = During(st) }).ToList(),
        }).ToList();
        return (withLoad, new LoadSummary
        {
            Rate = rate,
            Tables = writer.Tables,
            Skipped = writer.Skipped,
            Baseline = Between(TimeSpan.MinValue, firstScript),
            During = Between(firstScript, TimeSpan.MaxValue),
        });
    }
}
