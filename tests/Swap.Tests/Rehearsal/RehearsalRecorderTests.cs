using Swap.Discovery;
using Swap.Rehearsal;
using Swap.Running;

namespace Swap.Tests.Rehearsal;

public class RehearsalRecorderTests
{
    /// <summary>A clock that moves only when told to.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;

        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    [Fact]
    public void A_script_that_starts_again_in_another_mode_keeps_the_start_its_duration_counts_from()
    {
        var clock = new ManualClock();
        var recorder = new RehearsalRecorder(clock, onlineEngine: true, forward: null);
        clock.Advance(TimeSpan.FromSeconds(1));
        // The runner starts it in one transaction, finds it swaps online, and runs it again as journaled steps;
        // the duration it reports covers both attempts.
        recorder.ScriptStarted("MigrateItems", ScriptKind.CSharp, ExecutionMode.Transactional);
        clock.Advance(TimeSpan.FromSeconds(2));
        recorder.ScriptStarted("MigrateItems", ScriptKind.CSharp, ExecutionMode.Journaled);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        recorder.StepFinished("MigrateItems", 1, "execute", "UPDATE items", ExecutionMode.Journaled, TimeSpan.FromMilliseconds(500), null);
        recorder.ScriptFinished("MigrateItems", TimeSpan.FromMilliseconds(2500), null);

        var script = Assert.Single(recorder.Scripts);
        Assert.Equal(TimeSpan.FromSeconds(1), script.Start);
        Assert.Equal(TimeSpan.FromMilliseconds(3500), script.Start + script.Duration);
        var step = Assert.Single(script.Steps);
        Assert.Equal(TimeSpan.FromSeconds(3), step.Start);
    }
}
