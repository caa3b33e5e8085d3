using Swap.Engine;

namespace Swap;

public sealed partial class DbTable
{
    /// <summary>
    /// MySQL's table option <c>AUTO_INCREMENT = n</c> (online SQL): the next id the table hands out,
    /// as the server sets it (never below the largest id + 1). Null when the script sets none.
    /// </summary>
    internal ulong? AutoIncrementNext { get; private set; }

    internal DbTable SetAutoIncrement(ulong next)
    {
        Writable();
        if (Dialect.Engine != DatabaseEngine.MySql)
            throw Refuse($"Table '{Name}': AUTO_INCREMENT = {next} is a MySQL/MariaDB table option; {Dialect.Engine.ProductName()} has none.");
        AutoIncrementNext = next;
        changes.Add($"auto_increment = {next}");
        return this;
    }
}
