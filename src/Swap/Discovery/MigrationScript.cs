using Swap.Discovery;

namespace Swap;

/// <summary>
/// One discovered migration script, SQL or C#, with what ordering, history and the runner need.
/// </summary>
public sealed class MigrationScript
{
    internal MigrationScript(string id, string module, string? group, ScriptKind kind, string checksum)
    {
        Id = id;
        Module = module;
        Group = group;
        Kind = kind;
        Checksum = checksum;
        GroupDate = GroupFolder.TryParseDate(group);
    }

    /// <summary>Unique across all sources: a C# class name, or a SQL file name without extension.</summary>
    public string Id { get; }

    /// <summary>
    /// The module the script belongs to: the module folder's name (or the name given to
    /// <see cref="MigrationSource.Folder"/>), or for an assembly its name unless one was given.
    /// </summary>
    public string Module { get; }

    /// <summary>The group folder (<c>YYYY-MM-DD-name</c>) holding the script, or null.</summary>
    public string? Group { get; }

    /// <summary>The date that starts the <see cref="Group"/> folder's name, or null; scripts are ordered by it first.</summary>
    public DateOnly? GroupDate { get; }

    /// <summary>Whether the script is a SQL file or a C# <see cref="Migration"/>.</summary>
    public ScriptKind Kind { get; }

    /// <summary>SHA-256 (hex) of the script's content.</summary>
    public string Checksum { get; }

    /// <summary>Ids of the scripts that must be applied first: <c>-- swap:after</c> in SQL, <c>ExecuteAfter</c> in C#.</summary>
    public IReadOnlyList<string> Dependencies { get; init; } = [];

    /// <summary>Tags from <c>-- swap:tags</c> or <c>[Tags(...)]</c>; <c>up --tags</c> selects by them.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>True when the script carries one of <paramref name="tags"/>.</summary>
    public bool HasAnyTag(IEnumerable<string> tags) => Tags.Intersect(tags, StringComparer.Ordinal).Any();

    /// <summary>Where the script came from: a file path, or an assembly and type name.</summary>
    public required string Source { get; init; }

    /// <summary>The name ties are broken by: the file name for files, the class name for assemblies.</summary>
    public required string OrderName { get; init; }

    /// <summary>
    /// True when the script can be reverted: a SQL script with a down section (<c>-- DOWN</c> or a
    /// <c>.down.sql</c> file), a C# script that overrides <see cref="Migration.DownAsync"/>.
    /// </summary>
    public bool HasDown { get; init; }

    /// <summary>
    /// False when the script runs without a surrounding transaction (<c>-- swap:no-transaction</c>, or
    /// <c>NoTransaction()</c> in C#); its statements are then journaled one by one, so an interrupted run resumes.
    /// </summary>
    public bool Transactional { get; init; } = true;

    /// <summary>Set for SQL scripts.</summary>
    internal SqlScript? Sql { get; init; }

    /// <summary>Set for C# scripts: makes a fresh instance.</summary>
    internal Func<Migration>? Factory { get; init; }

    /// <summary>True for a script read from a migrations folder (a SQL file or a class of a C# file), false for an assembly's class.</summary>
    internal bool InFolder { get; init; }

    /// <summary>Set for a Flyway-named SQL script (<c>V1.1__add_users.sql</c>): its version, which orders it.</summary>
    internal ScriptVersion? Version { get; init; }

    /// <summary>
    /// The date used for ordering: the group's date, else a leading yyyyMMdd in the file name, or for
    /// a Flyway-named script in its version (<c>V20261121083000__x</c>).
    /// </summary>
    internal DateOnly? OrderDate => GroupDate ?? (Version is { } version ? version.Date : TimestampDate(OrderName));

    internal static DateOnly? TimestampDate(string name)
    {
        if (name.Length >= 8 && name.AsSpan(0, 8).IndexOfAnyExceptInRange('0', '9') < 0
            && DateOnly.TryParseExact(name[..8], "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d))
            return d;
        return null;
    }

    /// <summary>The script's <see cref="Id"/>.</summary>
    public override string ToString() => Id;
}
