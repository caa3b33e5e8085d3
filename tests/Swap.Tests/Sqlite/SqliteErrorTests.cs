using Microsoft.Data.Sqlite;
using Swap.Sqlite;

namespace Swap.Tests.Sqlite;

public class SqliteErrorTests
{
    [Fact]
    public void A_write_to_a_file_this_user_may_only_read_is_a_connection_error_that_says_so()
    {
        // SQLite opens a file it may not write read-only without a word; the first write (the run
        // lock's row) is refused with SQLITE_READONLY. Mode=ReadOnly gives the same error as root.
        var path = Path.Combine(Path.GetTempPath(), $"swap-readonly-{Guid.NewGuid():N}.db");
        try
        {
            using (var create = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                create.Open();
                using var c = create.CreateCommand();
                c.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY)";
                c.ExecuteNonQuery();
            }
            using var readOnly = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            readOnly.Open();
            using var insert = readOnly.CreateCommand();
            insert.CommandText = "INSERT INTO t (id) VALUES (1)";
            var error = Assert.Throws<SqliteException>(() => insert.ExecuteNonQuery());

            var translated = new SqliteDatabase(path).Translate(error, $"Taking the run lock on sqlite:{path}");

            Assert.Equal(SwapErrorKind.Connection, translated.Kind);
            Assert.Equal(5, (int)translated.Kind);
            Assert.Equal(
                $"Taking the run lock on sqlite:{path} failed: SQLite Error 8: 'attempt to write a readonly database'. " +
                $"This user may read sqlite:{path} but not write it: run swap as a user that may write the file and its folder (SQLite creates its journal files there).",
                translated.Message);
            Assert.False(translated.IsTransient);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
