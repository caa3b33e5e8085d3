namespace Swap;

/// <summary>
/// A C# migration script. Override <see cref="UpAsync"/>; override <see cref="DownAsync"/> to make
/// the script revertible. Declare dependencies in the constructor with <see cref="ExecuteAfter(string)"/>.
/// The script's id is its class name.
/// </summary>
/// <example>
/// <code>
/// public sealed class MigrateAddRoles : Migration
/// {
///     public MigrateAddRoles() => ExecuteAfter("MigrateCreateUsers");
///     public override Task UpAsync(MigrationContext db) =>
///         db.ExecuteAsync("ALTER TABLE users ADD COLUMN role VARCHAR(20) NOT NULL DEFAULT 'member'");
/// }
/// </code>
/// </example>
public abstract class Migration
{
    private readonly List<string> dependencies = [];

    /// <summary>The script id: the class name.</summary>
    public string Id => GetType().Name;

    /// <summary>Ids of the scripts that must be applied before this one.</summary>
    public IReadOnlyList<string> Dependencies => dependencies;

    /// <summary>
    /// False when the script opted out of running in one transaction (<see cref="NoTransaction"/>).
    /// Scripts that swap tables online leave the transaction by themselves on PostgreSQL.
    /// </summary>
    public bool Transactional { get; private set; } = true;

    /// <summary>Applies the change.</summary>
    public abstract Task UpAsync(MigrationContext db);

    /// <summary>Reverts the change. Scripts that do not override it cannot be reverted.</summary>
    public virtual Task DownAsync(MigrationContext db) =>
        throw new SwapException(SwapErrorKind.Refused, $"{Id} has no DownAsync, so it cannot be reverted.");

    /// <summary>True when the class overrides <see cref="DownAsync"/>.</summary>
    public bool HasDown => GetType().GetMethod(nameof(DownAsync), [typeof(MigrationContext)])?.DeclaringType != typeof(Migration);

    /// <summary>Runs this script after the script with that id (a class name or a SQL script's file name without extension).</summary>
    protected void ExecuteAfter(string scriptId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scriptId);
        if (!dependencies.Contains(scriptId, StringComparer.Ordinal))
            dependencies.Add(scriptId);
    }

    /// <summary>Runs this script after the C# script <typeparamref name="T"/>.</summary>
    protected void ExecuteAfter<T>()
        where T : Migration => ExecuteAfter(typeof(T).Name);

    /// <summary>
    /// Runs the script without a surrounding transaction (needed for <c>CREATE INDEX CONCURRENTLY</c>
    /// on PostgreSQL). Each statement is then journaled, so an interrupted run resumes after the
    /// last completed statement.
    /// </summary>
    protected void NoTransaction() => Transactional = false;
}
