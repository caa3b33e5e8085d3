namespace Swap;

/// <summary>
/// An index for <c>swap generate</c> to create on an entity's table (DataAnnotations has none):
/// <c>[TableIndex("email", Unique = true)]</c>. Columns are column names (or property names).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class TableIndexAttribute : Attribute
{
    /// <summary>An index over <paramref name="columns"/>, in order (column names, or property names).</summary>
    public TableIndexAttribute(params string[] columns)
    {
        Columns = columns ?? [];
    }

    /// <summary>The indexed columns, in order, as given.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Makes the index unique; its generated name then starts with <c>ux_</c>.</summary>
    public bool Unique { get; set; }

    /// <summary>The index name; <c>ix_&lt;table&gt;_&lt;columns&gt;</c> (<c>ux_</c> when unique) when not given.</summary>
    public string? Name { get; set; }
}

/// <summary>
/// Tells <c>swap generate</c> that this property's column was renamed from <paramref name="oldName"/>,
/// so it writes a rename instead of a drop and an add. Renames are never guessed.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class RenamedFromAttribute(string oldName) : Attribute
{
    /// <summary>The column's name before the rename.</summary>
    public string OldName { get; } = oldName;
}

/// <summary>
/// The action of the foreign key <c>swap generate</c> makes for a navigation property (or its key
/// property): <c>[OnDelete("CASCADE")]</c>, optionally with <see cref="OnUpdate"/>. Actions are
/// <c>CASCADE</c>, <c>SET NULL</c>, <c>SET DEFAULT</c>, <c>RESTRICT</c> and <c>NO ACTION</c>; without the
/// attribute the key has the engine's default (<c>NO ACTION</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class OnDeleteAttribute(string action) : Attribute
{
    /// <summary>What deleting the referenced row does.</summary>
    public string Action { get; } = action;

    /// <summary>What changing the referenced key does; null for the engine's default.</summary>
    public string? OnUpdate { get; set; }
}
