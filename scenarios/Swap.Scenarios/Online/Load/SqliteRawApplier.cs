using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Swap.Scenarios.Online.Data;
using Swap.Scenarios.Online.Engines;

namespace Swap.Scenarios.Online.Load;

/// <summary>
/// The SQLite writer: prepared statements stepped through SQLitePCL directly, retrying
/// SQLITE_BUSY every millisecond so the measured latency is the time the table was locked.
/// Values are bound as Microsoft.Data.Sqlite binds them (timestamps as <c>yyyy-MM-dd HH:mm:ss</c> text).
/// </summary>
internal sealed class SqliteRawApplier : IWriteApplier
{
    private readonly sqlite3 db;
    private readonly sqlite3_stmt update;
    private readonly sqlite3_stmt insert;
    private readonly sqlite3_stmt delete;

    public SqliteRawApplier(BenchEngine engine, TableModel table, SqliteConnection connection)
    {
        db = connection.Handle!;
        var name = engine.Quote(table.Name);
        update = Prepare($"UPDATE {name} SET {table.UpdateSet} WHERE id = @id");
        insert = Prepare(engine.InsertSql(table));
        delete = Prepare($"DELETE FROM {name} WHERE id = @id");
    }

    public int Apply(in WriteOp op)
    {
        sqlite3_stmt stmt;
        switch (op.Kind)
        {
            case WriteKind.Update:
                stmt = update;
                for (var i = 0; i < op.Values!.Length; i++)
                    Bind(stmt, "@u" + i.ToString(CultureInfo.InvariantCulture), op.Values[i]);
                Bind(stmt, "@id", op.Id);
                break;
            case WriteKind.Insert:
                stmt = insert;
                for (var i = 0; i < op.Values!.Length; i++)
                    Bind(stmt, "@c" + i.ToString(CultureInfo.InvariantCulture), op.Values[i]);
                break;
            default:
                stmt = delete;
                Bind(stmt, "@id", op.Id);
                break;
        }
        try
        {
            while (true)
            {
                var rc = raw.sqlite3_step(stmt);
                if (rc == raw.SQLITE_DONE)
                    return raw.sqlite3_changes(db);
                raw.sqlite3_reset(stmt);
                if (rc is not (raw.SQLITE_BUSY or raw.SQLITE_LOCKED))
                    throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
                Thread.Sleep(1);
            }
        }
        finally
        {
            raw.sqlite3_reset(stmt);
            raw.sqlite3_clear_bindings(stmt);
        }
    }

    private sqlite3_stmt Prepare(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(db, sql, out var stmt);
        if (rc != raw.SQLITE_OK)
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
        return stmt;
    }

    private static void Bind(sqlite3_stmt stmt, string name, object? value)
    {
        var i = raw.sqlite3_bind_parameter_index(stmt, name);
        _ = value switch
        {
            null => raw.sqlite3_bind_null(stmt, i),
            long l => raw.sqlite3_bind_int64(stmt, i, l),
            int n => raw.sqlite3_bind_int64(stmt, i, n),
            DateTime d => raw.sqlite3_bind_text(stmt, i, d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)),
            _ => raw.sqlite3_bind_text(stmt, i, Convert.ToString(value, CultureInfo.InvariantCulture)),
        };
    }

    public void Dispose()
    {
        update.Dispose();
        insert.Dispose();
        delete.Dispose();
    }
}
