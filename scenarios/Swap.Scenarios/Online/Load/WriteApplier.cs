using System.Data.Common;
using Swap.Scenarios.Online.Data;
using Swap.Scenarios.Online.Engines;

namespace Swap.Scenarios.Online.Load;

/// <summary>Executes writes of the writer's sequence on one connection.</summary>
internal interface IWriteApplier : IDisposable
{
    /// <summary>Runs one write; returns the rows it changed. Synchronous: the writer thread times each call itself.</summary>
    int Apply(in WriteOp op);
}

/// <summary>Executes the writer's writes on one connection, with three reused parameterized commands.</summary>
internal sealed class WriteApplier : IWriteApplier
{
    private readonly DbCommand update;
    private readonly DbCommand insert;
    private readonly DbCommand delete;
    private readonly int updateValues;

    public WriteApplier(BenchEngine engine, TableModel table, DbConnection connection)
    {
        var name = engine.Quote(table.Name);
        updateValues = table.UpdateValues(0).Length;
        update = Sql.Command(connection, $"UPDATE {name} SET {table.UpdateSet} WHERE {engine.Quote("id")} = @id");
        for (var i = 0; i < updateValues; i++)
            Sql.Add(update, "@u" + i, null);
        Sql.Add(update, "@id", 0L);
        insert = Sql.Command(connection, engine.InsertSql(table));
        for (var i = 0; i < table.Columns.Count; i++)
            Sql.Add(insert, "@c" + i, null);
        delete = Sql.Command(connection, $"DELETE FROM {name} WHERE {engine.Quote("id")} = @id", ("@id", 0L));
    }

    public int Apply(in WriteOp op)
    {
        DbCommand command;
        switch (op.Kind)
        {
            case WriteKind.Update:
                for (var i = 0; i < updateValues; i++)
                    update.Parameters[i].Value = op.Values![i] ?? DBNull.Value;
                update.Parameters[updateValues].Value = op.Id;
                command = update;
                break;
            case WriteKind.Insert:
                for (var i = 0; i < op.Values!.Length; i++)
                    insert.Parameters[i].Value = op.Values[i] ?? DBNull.Value;
                command = insert;
                break;
            default:
                delete.Parameters[0].Value = op.Id;
                command = delete;
                break;
        }
        return command.ExecuteNonQuery();
    }

    /// <summary>Runs the following writes in <paramref name="transaction"/> (null: autocommit).</summary>
    public void Enlist(DbTransaction? transaction)
    {
        update.Transaction = transaction;
        insert.Transaction = transaction;
        delete.Transaction = transaction;
    }

    public void Dispose()
    {
        update.Dispose();
        insert.Dispose();
        delete.Dispose();
    }
}
