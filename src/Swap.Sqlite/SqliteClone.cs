using Microsoft.Data.Sqlite;

namespace Swap.Sqlite;

/// <summary>A consistent copy of a SQLite database file, made with SQLite's online backup API.</summary>
internal static class SqliteClone
{
    /// <summary>
    /// Copies <paramref name="source"/> (opened read-only) into a new file at <paramref name="target"/>.
    /// Refuses when the target exists: a rehearsal never overwrites a database.
    /// </summary>
    public static async Task CopyAsync(DatabaseUrl source, DatabaseUrl target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        if (!File.Exists(source.Database))
            throw new SwapException(SwapErrorKind.Connection, $"--clone-from {source}: the SQLite file does not exist. Check the path of the database to copy.");
        if (File.Exists(target.Database))
            throw new SwapException(SwapErrorKind.Refused, $"--on {target}: the file exists already; a clone never overwrites a database. Remove it, or rehearse on it without --clone-from.");
        if (string.Equals(Path.GetFullPath(source.Database), Path.GetFullPath(target.Database), StringComparison.Ordinal))
            throw new SwapException(SwapErrorKind.Usage, "--clone-from and --on name the same file.");
        var readOnly = new SqliteConnectionStringBuilder { DataSource = source.Database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        var create = new SqliteConnectionStringBuilder { DataSource = target.Database, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString();
        await using var from = new SqliteConnection(readOnly);
        await using var to = new SqliteConnection(create);
        try
        {
            await from.OpenAsync(cancellationToken);
            await to.OpenAsync(cancellationToken);
            // The backup API copies a consistent snapshot, even while others write to the source;
            // Microsoft.Data.Sqlite offers it only synchronously.
            await Task.Run(() => from.BackupDatabase(to), cancellationToken);
        }
        catch (SqliteException e)
        {
            await to.CloseAsync();
            SqliteConnection.ClearAllPools();
            File.Delete(target.Database);
            throw new SwapException(SwapErrorKind.Connection, $"Could not copy {source} to {target}: {e.Message}", e);
        }
    }
}
