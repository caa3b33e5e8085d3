using System.Data.Common;
using Swap.Data;
using Swap.Engine;

namespace Swap.PostgreSql;

internal sealed partial class PostgresTableEngine
{
    /// <summary>
    /// One PL/pgSQL function and two triggers: a row trigger that deletes the old key from the
    /// copy and upserts the row read back from the original through the mapping (so FillWith
    /// expressions see the whole row), and a statement trigger that mirrors TRUNCATE. When a
    /// capture write could fail where the application's write did not (a new unique key, a cast,
    /// a fill), the failure is swallowed so the application never sees it; verification then
    /// reports the difference before anything is swapped.
    /// </summary>
    public override IReadOnlyList<string> InstallCapture(SwapSpec spec)
    {
        var n = spec.Names;
        var copy = Q(n.Copy);
        var original = Q(spec.Original.Name);
        var conflict = spec.TargetPrimaryKey.Count > 0 ? spec.TargetPrimaryKey : spec.CopyKey;
        var keyChanged = string.Join(" OR ", spec.Key.Select(k => $"OLD.{D.Quote(k)} IS DISTINCT FROM NEW.{D.Quote(k)}"));
        var deleteOld = $"DELETE FROM {copy} c WHERE {string.Join(" AND ", spec.CopyKey.Select((k, i) => $"c.{D.Quote(k)} = OLD.{D.Quote(spec.Key[i])}"))};";
        var updates = spec.Mapping.Where(m => !conflict.Contains(m.CopyColumn, StringComparer.OrdinalIgnoreCase)).Select(m => $"{D.Quote(m.CopyColumn)} = EXCLUDED.{D.Quote(m.CopyColumn)}").ToList();
        var onConflict = updates.Count == 0 ? "DO NOTHING" : "DO UPDATE SET " + string.Join(", ", updates);
        var upsert = $"INSERT INTO {copy} ({Columns(spec)}){Overriding(spec)} SELECT {Sources(spec)} FROM {original} o WHERE {string.Join(" AND ", spec.Key.Select(k => $"o.{D.Quote(k)} = NEW.{D.Quote(k)}"))} ON CONFLICT ({string.Join(", ", conflict.Select(D.Quote))}) {onConflict};";
        if (spec.CaptureMayFail)
            upsert = $"BEGIN\n      {upsert}\n    EXCEPTION WHEN unique_violation OR check_violation OR not_null_violation OR foreign_key_violation OR data_exception THEN\n      NULL;\n    END;";

        var function = $"""
            CREATE OR REPLACE FUNCTION {Q(n.Function)}() RETURNS trigger
            LANGUAGE plpgsql SET search_path FROM CURRENT AS $swap$
            BEGIN
              IF TG_OP = 'TRUNCATE' THEN
                TRUNCATE {copy};
                RETURN NULL;
              END IF;
              IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND ({keyChanged})) THEN
                {deleteOld}
              END IF;
              IF TG_OP <> 'DELETE' THEN
                {upsert}
              END IF;
              RETURN NULL;
            END
            $swap$
            """;
        return
        [
            function,
            $"CREATE TRIGGER {D.Quote(n.InsertTrigger)} AFTER INSERT OR UPDATE OR DELETE ON {original} FOR EACH ROW EXECUTE FUNCTION {Q(n.Function)}()",
            $"CREATE TRIGGER {D.Quote(n.DeleteTrigger)} AFTER TRUNCATE ON {original} FOR EACH STATEMENT EXECUTE FUNCTION {Q(n.Function)}()",
        ];
    }

    /// <summary>Dropping the function drops its triggers, wherever the renames left them.</summary>
    public override IReadOnlyList<string> RemoveCapture(SwapSpec spec) => [$"DROP FUNCTION IF EXISTS {Q(spec.Names.Function)}() CASCADE"];

    public override async Task<bool> CaptureInstalledAsync(DbConnection connection, SwapSpec spec, CancellationToken cancellationToken)
    {
        var count = await connection.ScalarAsync(
            """
            SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = @schema AND c.relname = @table AND t.tgname IN (@ins, @del)
            """,
            new { schema = database.Schema, table = spec.Original.Name, ins = spec.Names.InsertTrigger, del = spec.Names.DeleteTrigger },
            null,
            cancellationToken);
        return System.Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture) == 2;
    }
}
