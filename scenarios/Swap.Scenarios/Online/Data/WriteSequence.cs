namespace Swap.Scenarios.Online.Data;

/// <summary>
/// The writer's writes, numbered from 0: 60% updates, 25% inserts (ids after the loaded rows),
/// 15% deletes, each of a row chosen by a hash of the write's number. The same numbers give the
/// same writes in every contender's run, so after the same count of writes every table must hold
/// the same content.
/// </summary>
internal sealed class WriteSequence(TableModel table, long loadedRows)
{
    private const ulong Seed = 0x5EED_1000;
    private long inserted;

    /// <summary>The number of the next write.</summary>
    public long Position { get; private set; }

    public WriteOp Next()
    {
        var i = (ulong)Position;
        var roll = Mix.Below(Seed, i, 0, 100);
        var maxId = loadedRows + inserted;
        WriteOp op;
        if (roll < 60)
        {
            op = new WriteOp(Position, WriteKind.Update, 1 + Mix.Below(Seed, i, 1, maxId), table.UpdateValues(Position));
        }
        else if (roll < 85)
        {
            var id = maxId + 1;
            var values = new object?[table.Columns.Count];
            table.Row(id, values);
            inserted++;
            op = new WriteOp(Position, WriteKind.Insert, id, values);
        }
        else
        {
            op = new WriteOp(Position, WriteKind.Delete, 1 + Mix.Below(Seed, i, 2, maxId), null);
        }
        Position++;
        return op;
    }

    /// <summary>Moves on to write number <paramref name="position"/> without producing the writes in between.</summary>
    public void SkipTo(long position)
    {
        while (Position < position)
            Next();
    }
}
