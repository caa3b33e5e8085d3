using Swap.Engine.Schema;

namespace Swap;

public sealed partial class DbTable
{
    /// <summary>
    /// MySQL's <c>DROP PRIMARY KEY</c> without a replacement (online SQL): the table is then keyed,
    /// by Swap and by InnoDB's clustered index, by a unique index over NOT NULL columns, which the
    /// statement must leave (<see cref="RequireKeyWithoutPrimaryKey"/>).
    /// </summary>
    internal DbTable DropPrimaryKey()
    {
        Writable();
        if (primaryKey.Count == 0)
            throw Refuse($"Table '{Name}' has no primary key to drop.");
        primaryKey = [];
        changes.Add("drop primary key");
        return this;
    }

    /// <summary>Refuses a table left without a primary key and without a unique index that can key it (<see cref="CanKey"/>).</summary>
    internal void RequireKeyWithoutPrimaryKey()
    {
        if (primaryKey.Count > 0 || indexes.Any(CanKey))
            return;
        throw Refuse($"it drops the primary key of '{Name}' and leaves no unique key over NOT NULL columns; an online swap needs a key (as InnoDB does, which then clusters the table by such a unique key). "
            + "Replace it in the same statement with ADD PRIMARY KEY (...), or keep or add a UNIQUE key whose columns are all NOT NULL (for example ADD UNIQUE KEY (id))");
    }

    /// <summary>
    /// True when the table, as changed, has no primary key and this unique index over NOT NULL plain
    /// columns keys it: the copy is built with it from the start (never deferred), as it would be
    /// with a primary key, so chunks and the applier meet a key already in the copy.
    /// </summary>
    internal bool CanKey(IndexModel index) =>
        primaryKey.Count == 0 && index.Unique
        && !(index.Original is { } o && (TableSchema.IsHash(o) || o.Predicate is not null || o.Columns.Any(c => c.Expression is not null)))
        && index.Columns.All(c => c.Prefix is null && Find(c.Column) is { Nullable: false, GeneratedExpression: null });
}
