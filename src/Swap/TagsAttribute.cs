namespace Swap;

/// <summary>
/// Tags a C# migration, as <c>-- swap:tags seed, demo</c> tags a SQL one: <c>swap up --tags seed</c>
/// then applies only the pending scripts that carry one of the given tags.
/// </summary>
/// <example><code>[Tags("seed", "demo")] public sealed class MigrateDemoUsers : Migration { ... }</code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class TagsAttribute : Attribute
{
    /// <summary>Tags the script with <paramref name="tags"/> (matched case-sensitively by <c>up --tags</c>).</summary>
    public TagsAttribute(params string[] tags)
    {
        Tags = tags ?? [];
    }

    /// <summary>The tags, as given.</summary>
    public IReadOnlyList<string> Tags { get; }
}
