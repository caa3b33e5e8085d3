namespace Swap.IntegrationTests.Infrastructure;

/// <summary>
/// Lets a test hold a C# migration in the middle of its run: the script writes a "started" file,
/// then waits while the "hold" file exists (polling, and honouring the run's cancellation token).
/// Works across processes, so a child <c>swap</c> process can be held the same way.
/// </summary>
public sealed class Gate
{
    public Gate(string folder, string name = "gate")
    {
        HoldPath = Path.Combine(folder, name + ".hold");
        StartedPath = Path.Combine(folder, name + ".started");
        File.WriteAllText(HoldPath, "");
    }

    public string HoldPath { get; }

    public string StartedPath { get; }

    public void Open() => File.Delete(HoldPath);

    /// <summary>A C# migration that runs <paramref name="statements"/>, then waits at the gate.</summary>
    public string Script(string className, params string[] statements) => $$"""
        public sealed class {{className}} : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
        {{string.Concat(statements.Select(s => $"        await db.ExecuteAsync(\"{s}\");\n"))}}
                System.IO.File.WriteAllText(@"{{StartedPath}}", "");
                while (System.IO.File.Exists(@"{{HoldPath}}"))
                    await Task.Delay(50, db.CancellationToken);
            }

            public override Task DownAsync(MigrationContext db) => Task.CompletedTask;
        }
        """;

    /// <summary>Waits until a script reached the gate.</summary>
    public async Task WaitStartedAsync(int seconds = 60, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!File.Exists(StartedPath))
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"No script reached the gate within {seconds}s. {diagnostics?.Invoke()}");
            await Task.Delay(50);
        }
    }
}
