using System.Data.Common;
using Swap.Dialects;

namespace Swap.Data;

internal static class DbCommandsTranslate
{
    /// <summary>Executes one statement and turns driver errors into the dialect's <see cref="SwapException"/>.</summary>
    public static async Task<int> ExecuteTranslatedAsync(this DbConnection connection, string sql, DbTransaction? transaction, CancellationToken cancellationToken, SwapDatabase database, string context)
    {
        try
        {
            return await connection.ExecuteAsync(sql, null, transaction, cancellationToken);
        }
        catch (Exception e) when (database.IsDatabaseError(e))
        {
            throw database.Translate(e, $"{context}: {MigrationContext.Shorten(sql)}");
        }
    }
}
