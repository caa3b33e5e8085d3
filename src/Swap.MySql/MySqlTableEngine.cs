using System.Data.Common;
using System.Globalization;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;
using Swap.Reports;

namespace Swap.MySql;

/// <summary>
/// The online copy-and-swap on MySQL/MariaDB: the copy is <c>CREATE TABLE ... LIKE</c> plus
/// ALTERs on the empty copy; AFTER triggers capture writes with REPLACE from the original row
/// read through the mapping; chunks are copied with locking reads; the cut-over is one
/// multi-table <c>RENAME TABLE</c> under a short <c>lock_wait_timeout</c>.
/// </summary>
internal sealed partial class MySqlTableEngine(MySqlDatabase database) : TableEngine(database)
{
    private MySqlDialect D => MySqlDialect.Instance;

    public override bool Online => true;

    public override IEnumerable<string> Refusals(TableSchema original, DbTable? target)
    {
        var own = original.Triggers.Where(t => !SwapNames.IsSwapName(t.Name)).ToList();
        if (own.Count > 0)
            yield return $"It has triggers ({string.Join(", ", own.Select(t => t.Name))}); on MySQL they would fire on the copy during the swap and cannot be moved atomically. Drop them for the swap and recreate them after, or change the table with plain ALTER TABLE.";
        if (original.ForeignKeys.Count > 0)
            yield return $"It has foreign keys ({string.Join(", ", original.ForeignKeys.Select(f => f.Name))}); MySQL foreign key names are unique per database and cannot be moved to the copy. Drop them for the swap and add them back after, or use plain ALTER TABLE.";
        if (original.ReferencedBy.Count > 0)
            yield return $"Foreign keys of other tables point at it ({string.Join(", ", original.ReferencedBy.Select(f => f.Table + "." + f.Name))}); MySQL would keep them pointing at the old table after the rename. Drop them for the swap and add them back after, or use plain ALTER TABLE.";
        if (original.Extra.GetValueOrDefault("engine") is { } e && !e.Equals("InnoDB", StringComparison.OrdinalIgnoreCase))
            yield return $"It uses the {e} storage engine; Swap needs InnoDB's transactions and row locks to copy it online.";
        if (target is null)
            yield break;
    }

    public override IReadOnlyList<string> CreateCopy(TableSchema original, DbTable? target, SwapNames names) =>
        MySqlCopyBuilder.Build(D, original, target, names);

    public override string SameValue(string original, string copy, ColumnMapping mapping) =>
        MySqlColumnText.IsText(mapping.CopyType) || mapping.CopyType.StartsWith("json", StringComparison.OrdinalIgnoreCase)
            ? $"BINARY {original} <=> BINARY {copy}"
            : $"{original} <=> {copy}";

    /// <summary>ON DUPLICATE KEY UPDATE with a no-op keeps rows capture already wrote, and unlike INSERT IGNORE does not turn bad values into warnings.</summary>
    public override string CopyChunk(SwapSpec spec, string range)
    {
        var copy = D.Quote(spec.Names.Copy);
        var key = copy + "." + D.Quote((spec.TargetPrimaryKey.Count > 0 ? spec.TargetPrimaryKey : spec.CopyKey)[0]);
        return $"INSERT INTO {copy} ({Columns(spec)}) SELECT {Sources(spec)} FROM {D.Quote(spec.Original.Name)} o WHERE {range} LOCK IN SHARE MODE ON DUPLICATE KEY UPDATE {key} = {key}";
    }

    public override IReadOnlyList<string> InstallCapture(SwapSpec spec)
    {
        var n = spec.Names;
        var copy = D.Quote(n.Copy);
        var original = D.Quote(spec.Original.Name);
        var handler = spec.CaptureMayFail ? "DECLARE CONTINUE HANDLER FOR SQLEXCEPTION BEGIN END; " : "";
        string Upsert(string row) => $"REPLACE INTO {copy} ({Columns(spec)}) SELECT {Sources(spec)} FROM {original} o WHERE {string.Join(" AND ", spec.Key.Select(k => $"o.{D.Quote(k)} = {row}.{D.Quote(k)}"))};";
        string Delete(string row) => $"DELETE FROM {copy} WHERE {string.Join(" AND ", spec.CopyKey.Select((k, i) => $"{D.Quote(k)} = {row}.{D.Quote(spec.Key[i])}"))};";
        var keyChanged = string.Join(" OR ", spec.Key.Select(k => $"NOT (OLD.{D.Quote(k)} <=> NEW.{D.Quote(k)})"));
        return
        [
            $"CREATE TRIGGER {D.Quote(n.InsertTrigger)} AFTER INSERT ON {original} FOR EACH ROW BEGIN {handler}{Upsert("NEW")} END",
            $"CREATE TRIGGER {D.Quote(n.UpdateTrigger)} AFTER UPDATE ON {original} FOR EACH ROW BEGIN {handler}IF {keyChanged} THEN {Delete("OLD")} END IF; {Upsert("NEW")} END",
            $"CREATE TRIGGER {D.Quote(n.DeleteTrigger)} AFTER DELETE ON {original} FOR EACH ROW BEGIN {handler}{Delete("OLD")} END",
        ];
    }

    public override IReadOnlyList<string> RemoveCapture(SwapSpec spec) =>
        [.. new[] { spec.Names.InsertTrigger, spec.Names.UpdateTrigger, spec.Names.DeleteTrigger }.Select(t => $"DROP TRIGGER IF EXISTS {D.Quote(t)}")];

    public override async Task<bool> CaptureInstalledAsync(DbConnection connection, SwapSpec spec, CancellationToken cancellationToken)
    {
        var count = await connection.ScalarAsync(
            "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = @table AND TRIGGER_NAME IN (@ins, @upd, @del)",
            new { table = spec.Original.Name, ins = spec.Names.InsertTrigger, upd = spec.Names.UpdateTrigger, del = spec.Names.DeleteTrigger },
            null,
            cancellationToken);
        return System.Convert.ToInt64(count, CultureInfo.InvariantCulture) == 3;
    }

    public override async Task CutOverAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<SwapSpec> specs, OnlineSwapOptions options, Func<DbTransaction?, Task> recordSwapped, CancellationToken cancellationToken)
    {
        var statements = CutOverPlan(specs, options);
        foreach (var sql in statements)
            await connection.ExecuteAsync(sql, null, null, cancellationToken);
        // RENAME commits on its own: the journal says "swapped" right after, and a resumed run
        // that finds the copy gone and the old table present knows the rename happened.
        await recordSwapped(null);
    }

    public override IReadOnlyList<string> CutOverPlan(IReadOnlyList<SwapSpec> specs, OnlineSwapOptions options)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(options.CutOverLockTimeout.TotalSeconds));
        var pairs = specs.SelectMany(s => new[]
        {
            $"{D.Quote(s.Original.Name)} TO {D.Quote(s.Names.Old)}",
            $"{D.Quote(s.Names.Copy)} TO {D.Quote(s.Original.Name)}",
        });
        return [$"SET SESSION lock_wait_timeout = {seconds}", $"RENAME TABLE {string.Join(", ", pairs)}"];
    }

    public override async Task<bool> IsSwappedAsync(DbConnection connection, DbTransaction? transaction, SwapSpec spec, CancellationToken cancellationToken) =>
        !await database.TableExistsAsync(connection, spec.Names.Copy, cancellationToken)
        && await database.TableExistsAsync(connection, spec.Names.Old, cancellationToken);

    public override IReadOnlyList<string> DropOld(SwapSpec spec) => [$"DROP TABLE IF EXISTS {D.Quote(spec.Names.Old)}"];

    public override string IndexPart(string expression, int? prefix) => prefix is { } n ? $"LEFT({expression}, {n})" : expression;

    /// <summary>ON DUPLICATE KEY UPDATE reports 2 for a row it updated and 0 for a no-op; count inserts only.</summary>
    public override long CopiedRows(int affected) => affected;

    public override async Task<IReadOnlyList<Leftover>> FindLeftoversAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync(
            """
            SELECT 'table' AS kind, TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\_%\_swap\_%'
            UNION ALL
            SELECT 'trigger', TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE '\_%\_swap\_%'
            """,
            null,
            cancellationToken);
        return Leftovers(rows.Select(r => (r.String("kind")!, r.String("name")!)));
    }

    public override IReadOnlyList<string> Remove(Leftover leftover)
    {
        ArgumentNullException.ThrowIfNull(leftover);
        if (!SwapNames.IsSwapName(leftover.Name))
            return [];
        return leftover.Kind switch
        {
            "table" => [$"DROP TABLE IF EXISTS {D.Quote(leftover.Name)}"],
            "trigger" => [$"DROP TRIGGER IF EXISTS {D.Quote(leftover.Name)}"],
            _ => [],
        };
    }

}
