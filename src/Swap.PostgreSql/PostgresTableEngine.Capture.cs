using System.Data.Common;
using Swap.Data;
using Swap.Engine;

namespace Swap.PostgreSql;

internal sealed partial class PostgresTableEngine
{
    /// <summary>
    /// The change log, one PL/pgSQL function and two triggers: a row trigger that appends the
    /// written key to the log (the old key for UPDATE and DELETE, the new key for INSERT and for an
    /// UPDATE that changes the key), and a statement trigger that mirrors TRUNCATE into the copy.
    /// The application's write gains one small insert; the copy is brought up to date by the applier.
    /// The function runs as its owner, Swap's user (SECURITY DEFINER, with a fixed search_path and
    /// schema-qualified names): the application's roles have privileges on the table, not on Swap's
    /// log and copy, and without it every write of theirs would fail for the whole swap.
    /// </summary>
    public override IReadOnlyList<string> InstallCapture(SwapSpec spec)
    {
        var n = spec.Names;
        var copy = Q(n.Copy);
        var log = Q(n.Log);
        var keyChanged = string.Join(" OR ", spec.Key.Select(k => $"OLD.{D.Quote(k)} IS DISTINCT FROM NEW.{D.Quote(k)}"));
        var logColumns = string.Join(", ", spec.Key.Select((_, i) => D.Quote(SwapQueries.LogKey(i))));
        string Append(string row) => $"INSERT INTO {log} (op, {logColumns}) VALUES (lower(left(TG_OP, 1)), {string.Join(", ", spec.Key.Select(k => $"{row}.{D.Quote(k)}"))});";
        var keyDefs = spec.Key.Select((k, i) =>
        {
            var c = spec.Original.Column(k)!;
            return $"{D.Quote(SwapQueries.LogKey(i))} {c.NativeType}{(c.Collation is not null ? " COLLATE " + CollationSql(c) : "")} NOT NULL";
        });
        // A reverse capture is installed on the copy before the cut-over, when the old table does not
        // exist yet under its name (a TRUNCATE of the original reaches the copy through the forward capture).
        var truncate = spec.Revert
            ? $"IF to_regclass({D.Literal(copy)}) IS NOT NULL THEN TRUNCATE {copy}; END IF;"
            : $"TRUNCATE {copy};";
        // A partition truncated on its own fires its own statement trigger (the table's does not):
        // it empties the copy's partition of the same bound.
        var partitions = SwapsPartitions(spec) ? PartitionBounds(spec.Original).Select(p => p.Name).ToList() : [];
        if (partitions.Count > 0)
        {
            truncate = string.Concat(partitions.Select((p, i) => $"{(i == 0 ? "IF" : "ELSIF")} TG_TABLE_NAME = {D.Literal(p)} THEN TRUNCATE {Q(TempIndexName(p))};\n    "))
                + $"ELSE TRUNCATE {copy};\n    END IF;";
        }
        var function = $"""
            CREATE OR REPLACE FUNCTION {Q(n.Function)}() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $swap$
            BEGIN
              IF TG_OP = 'TRUNCATE' THEN
                {truncate}
                RETURN NULL;
              END IF;
              IF TG_OP <> 'INSERT' THEN
                {Append("OLD")}
              END IF;
              IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND ({keyChanged})) THEN
                {Append("NEW")}
              END IF;
              RETURN NULL;
            END
            $swap$
            """;
        return
        [
            $"DROP TABLE IF EXISTS {log}",
            $"CREATE TABLE {log} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, op \"char\" NOT NULL, {string.Join(", ", keyDefs)})",
            $"CREATE INDEX ON {log} ({logColumns})",
            function,
            $"CREATE TRIGGER {D.Quote(n.InsertTrigger)} AFTER INSERT OR UPDATE OR DELETE ON {Q(spec.Original.Name)} FOR EACH ROW EXECUTE FUNCTION {Q(n.Function)}()",
            $"CREATE TRIGGER {D.Quote(n.DeleteTrigger)} AFTER TRUNCATE ON {Q(spec.Original.Name)} FOR EACH STATEMENT EXECUTE FUNCTION {Q(n.Function)}()",
            .. partitions.Select(p => $"CREATE TRIGGER {D.Quote(n.DeleteTrigger)} AFTER TRUNCATE ON {Q(p)} FOR EACH STATEMENT EXECUTE FUNCTION {Q(n.Function)}()"),
        ];
    }

    /// <summary>Dropping the function drops its triggers, wherever the renames left them; then the log goes.</summary>
    public override IReadOnlyList<string> RemoveCapture(SwapSpec spec) =>
        [$"DROP FUNCTION IF EXISTS {Q(spec.Names.Function)}() CASCADE", $"DROP TABLE IF EXISTS {Q(spec.Names.Log)}"];

    public override async Task<bool> CaptureInstalledAsync(DbConnection connection, DbTransaction? transaction, SwapSpec spec, CancellationToken cancellationToken)
    {
        var count = await connection.ScalarAsync(
            """
            SELECT (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = @schema AND c.relname = @table AND t.tgname IN (@ins, @del))
                 + (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @schema AND c.relname = @log AND c.relkind IN ('r', 'p'))
            """,
            new { schema = database.Schema, table = spec.Original.Name, ins = spec.Names.InsertTrigger, del = spec.Names.DeleteTrigger, log = spec.Names.Log },
            transaction,
            cancellationToken);
        return System.Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture) == 3;
    }
}
