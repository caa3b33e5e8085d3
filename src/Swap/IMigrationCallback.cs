namespace Swap;

/// <summary>
/// Code that runs around migrations: a class in a migrations folder (or a migrations assembly)
/// that implements this interface is found like a script and called on every <c>up</c>. Implement
/// only the methods you need. <see cref="BeforeEachAsync"/> and <see cref="AfterEachAsync"/> run in
/// the script's own transaction or journal (<see cref="MigrationContext.ScriptId"/> is the script's
/// id), so a throwing callback fails that script exactly as a failing statement of it would.
/// </summary>
public interface IMigrationCallback
{
    /// <summary>Once per <c>up</c> that has scripts to apply, before the first one, in its own transaction.</summary>
    Task BeforeMigrateAsync(MigrationContext db) => Task.CompletedTask;

    /// <summary>Before each script's body, as part of the script.</summary>
    Task BeforeEachAsync(MigrationContext db) => Task.CompletedTask;

    /// <summary>After each script's body, as part of the script (before it is recorded as applied).</summary>
    Task AfterEachAsync(MigrationContext db) => Task.CompletedTask;

    /// <summary>Once per <c>up</c> that applied scripts, after the last one, in its own transaction.</summary>
    Task AfterMigrateAsync(MigrationContext db) => Task.CompletedTask;
}
