using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Swap.Data;

namespace Swap.Engine;

/// <summary>
/// A fingerprint of a table's definition (the dialect's <see cref="TableEngine.DefinitionQueries"/>),
/// taken when a swap reads the schema its copy is made from and compared by the
/// <see cref="Verifier"/> under the cut-over's lock: a column, index, constraint, trigger, grant,
/// comment or policy added to or changed on the original while it was being swapped would
/// otherwise be lost when the copy takes its place.
/// </summary>
internal static class TableDefinition
{
    /// <summary>
    /// The fingerprint before the table's schema is first read, or null when it cannot be taken (a
    /// missing table: the schema read that follows says so in its own words).
    /// </summary>
    public static async Task<string?> TryFingerprintAsync(TableEngine engine, DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken)
    {
        try
        {
            return await FingerprintAsync(engine, connection, transaction, table, cancellationToken);
        }
        catch (Exception e) when (engine.Database.IsDatabaseError(e) && !engine.Database.IsConnectionLost(e))
        {
            return null;
        }
    }

    /// <summary>The fingerprint of <paramref name="table"/>'s definition now; null where the engine has no definition queries.</summary>
    public static async Task<string?> FingerprintAsync(TableEngine engine, DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken)
    {
        var queries = engine.DefinitionQueries(table);
        if (queries.Count == 0)
            return null;
        var text = new StringBuilder();
        foreach (var sql in queries)
        {
            foreach (var row in await connection.QueryAsync(sql, new List<KeyValuePair<string, object?>> { new("t", table) }, transaction, cancellationToken))
            {
                for (var i = 0; i < row.Columns.Count; i++)
                    text.Append(Convert.ToString(row[i], CultureInfo.InvariantCulture)).Append('\u001f');
                text.Append('\n');
            }
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(engine.NormalizeDefinition(text.ToString()))));
    }
}

/// <summary>What <see cref="DefinitionChangedException"/> found changed on an original under the cut-over's lock.</summary>
internal enum OriginalChange
{
    /// <summary>A column, index, constraint, trigger, grant, comment, policy or rule.</summary>
    Definition,

    /// <summary>A capture trigger or the change log is gone: writes since then are in no log.</summary>
    CaptureLost,

    /// <summary>The table's storage was replaced (<see cref="TableEngine.StorageIdentityAsync"/>): truncated or rebuilt, rows possibly removed without capture.</summary>
    StorageReplaced,
}

/// <summary>
/// Thrown under the cut-over's lock when an original is no longer the table its copy was made
/// from and kept current with (<see cref="OriginalChange"/>).
/// </summary>
internal sealed class DefinitionChangedException(string table, OriginalChange change = OriginalChange.Definition)
    : Exception(change switch
    {
        OriginalChange.CaptureLost => $"The capture on '{table}' was removed while it was being swapped.",
        OriginalChange.StorageReplaced => $"'{table}' was truncated or rebuilt while it was being swapped.",
        _ => $"The definition of '{table}' changed while it was being swapped.",
    })
{
    public string Table { get; } = table;

    public OriginalChange Change { get; } = change;
}
