using System.Data.Common;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.PostgreSql;

internal sealed partial class PostgresTableEngine
{
    /// <summary>
    /// PostgreSQL lets only a table's owner (or a member of the owning role) rename, alter and drop
    /// it, and the cut-over renames the original away, drops and re-adds the foreign keys of tables
    /// that point at it, and replaces the views over it. So the user needs: CREATE on the schema
    /// (the copy, the change log and the capture function), membership in the owner role of the
    /// table, of each referencing table and of each dependent view, and REFERENCES on the tables
    /// the table's own foreign keys point at. A superuser has all of it.
    /// </summary>
    public override async Task<IReadOnlyList<string>> ServerRefusalsAsync(DbConnection connection, DbTransaction? transaction, TableSchema original, DbTable? target, CancellationToken cancellationToken)
    {
        var head = await connection.QueryAsync(
            "SELECT current_user AS u, r.rolsuper AS super, r.rolbypassrls AS bypass, has_schema_privilege(@schema, 'CREATE') AS can_create FROM pg_roles r WHERE r.rolname = current_user",
            new { schema = database.Schema },
            transaction,
            cancellationToken);
        if (head.Count == 0 || head[0].Bool("super"))
            return [];
        var user = head[0].String("u")!;
        var refusals = new List<string>();
        // FORCE ROW LEVEL SECURITY applies the policies to the owner too: the copy would read only
        // the rows the policies let Swap's user see.
        if (original.Extra.GetValueOrDefault("force_rls") == "true" && !head[0].Bool("bypass"))
            refusals.Add($"'{original.Name}' has FORCE ROW LEVEL SECURITY, so its policies would hide rows from \"{user}\" and the copy would miss them. Run Swap as a role with BYPASSRLS (ALTER ROLE {D.Quote(user)} BYPASSRLS;) or as a superuser.");
        if (!head[0].Bool("can_create"))
            refusals.Add($"The user \"{user}\" cannot create tables in the schema \"{database.Schema}\" (Swap creates the copy, a change log and a capture function there). Grant it: GRANT USAGE, CREATE ON SCHEMA {D.Quote(database.Schema)} TO {D.Quote(user)};");

        foreach (var publication in Publications(original))
        {
            var owner = publication[1];
            if (!System.Convert.ToBoolean(await connection.ScalarAsync("SELECT pg_has_role(current_user, @owner, 'MEMBER')", new { owner }, transaction, cancellationToken), System.Globalization.CultureInfo.InvariantCulture))
                refusals.Add($"'{original.Name}' is in the publication '{publication[0]}', and the cut-over moves the new table into it (ALTER PUBLICATION), which only its owner may do; \"{user}\" does not own it (its owner is \"{owner}\"). Run Swap as \"{owner}\", or GRANT {D.Quote(owner)} TO {D.Quote(user)};");
        }

        var oid = long.Parse(original.Extra["oid"], System.Globalization.CultureInfo.InvariantCulture);
        var lacking = await connection.QueryAsync(
            """
            SELECT 'table' AS kind, c.relname AS name, pg_get_userbyid(c.relowner) AS owner FROM pg_class c
             WHERE c.oid = @oid AND NOT pg_has_role(current_user, c.relowner, 'MEMBER')
            UNION ALL
            SELECT 'referencing table', ch.relname, pg_get_userbyid(ch.relowner) FROM pg_constraint con JOIN pg_class ch ON ch.oid = con.conrelid
             WHERE con.confrelid = @oid AND con.contype = 'f' AND con.conrelid <> @oid AND NOT pg_has_role(current_user, ch.relowner, 'MEMBER')
            UNION ALL
            SELECT DISTINCT 'view', v.relname, pg_get_userbyid(v.relowner) FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class
             WHERE d.refobjid = @oid AND d.classid = 'pg_rewrite'::regclass AND v.oid <> @oid AND NOT pg_has_role(current_user, v.relowner, 'MEMBER')
            UNION ALL
            SELECT 'referenced table', p.relname, pg_get_userbyid(p.relowner) FROM pg_constraint con JOIN pg_class p ON p.oid = con.confrelid
             WHERE con.conrelid = @oid AND con.contype = 'f' AND NOT has_table_privilege(p.oid, 'REFERENCES')
            """,
            new { oid },
            transaction,
            cancellationToken);
        foreach (var row in lacking)
        {
            var (kind, name, owner) = (row.String("kind")!, row.String("name")!, row.String("owner")!);
            refusals.Add(kind switch
            {
                "table" => $"The user \"{user}\" does not own '{name}' (its owner is \"{owner}\"); PostgreSQL lets only the owner rename, alter and drop a table, and the cut-over renames it away. Run Swap as \"{owner}\", or make \"{user}\" a member of the owner role: GRANT {D.Quote(owner)} TO {D.Quote(user)};",
                "referencing table" => $"The foreign key of '{name}' points at '{original.Name}' and must be re-added at the cut-over, but \"{user}\" does not own '{name}' (its owner is \"{owner}\"). Run Swap as the owner, or GRANT {D.Quote(owner)} TO {D.Quote(user)};",
                "view" => $"The view '{name}' reads '{original.Name}' and is replaced at the cut-over, but \"{user}\" does not own it (its owner is \"{owner}\"). Run Swap as the owner, or GRANT {D.Quote(owner)} TO {D.Quote(user)};",
                _ => $"'{original.Name}' has a foreign key to '{name}', which the copy needs too, and \"{user}\" lacks REFERENCES on it. Grant it: GRANT REFERENCES ON {Q(name)} TO {D.Quote(user)};",
            });
        }
        return refusals;
    }
}
