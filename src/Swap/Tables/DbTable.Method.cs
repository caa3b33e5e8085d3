using Swap.Engine;
namespace Swap;
public sealed partial class DbTable
{
    /// <summary>True once <see cref="ForceCopy"/> was called.</summary>
    internal bool CopyForced { get; private set; }

    /// <summary>
    /// Makes these changes through the online copy-and-swap even where the engine could make them
    /// instantly or in place (for example to keep the old table with <c>--keep-old</c>).
    /// </summary>
    public DbTable ForceCopy()
    {
        Writable();
        CopyForced = true;
        return this;
    }
}
