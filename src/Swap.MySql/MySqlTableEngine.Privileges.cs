using System.Data.Common;
using System.Globalization;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.MySql;

internal sealed partial class MySqlTableEngine
{
    /// <summary>
    /// What a swap does on MySQL/MariaDB and the privilege each step needs, on the database:
    /// read and copy rows, create and drop the copy and the change log, alter the copy, build its
    /// indexes, install the capture triggers, hold the cut-over's <c>LOCK TABLES ... READ</c>, and
    /// (with foreign keys) re-point them.
    /// </summary>
    internal static readonly string[] NeededPrivileges = ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "INDEX", "TRIGGER", "LOCK TABLES"];

    /// <summary>
    /// Reads the connected user's privileges from information_schema (global, database — wildcards
    /// included — and table grants, with the active role's) and names the missing ones with the
    /// GRANT that gives them. With binary logging on, the server refuses CREATE TRIGGER from a user
    /// without SUPER unless <c>log_bin_trust_function_creators</c> is on; managed clouds never give
    /// SUPER, so that setting is the one way there, and the message says where to set it.
    /// </summary>
    public override async Task<IReadOnlyList<string>> ServerRefusalsAsync(DbConnection connection, DbTransaction? transaction, TableSchema original, DbTable? target, CancellationToken cancellationToken)
    {
        var who = await connection.QueryAsync("SELECT CURRENT_USER() AS u, CURRENT_ROLE() AS r, DATABASE() AS db, @@GLOBAL.log_bin AS log_bin, @@GLOBAL.log_bin_trust_function_creators AS trust", null, transaction, cancellationToken);
        var user = who[0].String("u") ?? "";
        var at = user.LastIndexOf('@');
        var grantee = at < 0 ? $"'{user}'" : $"'{user[..at]}'@'{user[(at + 1)..]}'";
        var grantees = new List<string> { grantee, "'PUBLIC'" };
        if (who[0].String("r") is { Length: > 0 } role && role != "NONE")
            grantees.Add(role.StartsWith('\'') ? role : $"'{role}'");
        var database = who[0].String("db") ?? "";

        var rows = await connection.QueryAsync(
            """
            SELECT PRIVILEGE_TYPE AS p, 'global' AS scope FROM information_schema.USER_PRIVILEGES WHERE GRANTEE IN (@g0, @g1, @g2)
            UNION ALL SELECT PRIVILEGE_TYPE, 'database' FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE IN (@g0, @g1, @g2) AND DATABASE() LIKE TABLE_SCHEMA
            UNION ALL SELECT PRIVILEGE_TYPE, 'table' FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE IN (@g0, @g1, @g2) AND TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table
            """,
            new { g0 = grantees[0], g1 = grantees[1], g2 = grantees.Count > 2 ? grantees[2] : grantees[0], table = original.Name },
            transaction,
            cancellationToken);
        var global = rows.Where(r => r.String("scope") == "global").Select(r => r.String("p")!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // The copy, the change log and Swap's own tables are new tables: database-wide grants are
        // needed for them; a grant on the original table alone does not cover them.
        var onDatabase = rows.Where(r => r.String("scope") != "table").Select(r => r.String("p")!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var refusals = new List<string>();
        var missing = NeededPrivileges.Where(p => !onDatabase.Contains(p)).ToList();
        if (missing.Count > 0)
        {
            refusals.Add(
                $"The user {grantee} lacks {string.Join(", ", missing)} on the database `{database}` (Swap creates the copy and a change log next to the table, captures writes with triggers and holds LOCK TABLES ... READ at the cut-over). " +
                $"Grant what a swap needs: GRANT {string.Join(", ", NeededPrivileges)} ON {D.Quote(database)}.* TO {grantee};");
        }

        var logBin = System.Convert.ToInt64(who[0]["log_bin"] ?? 0L, CultureInfo.InvariantCulture) != 0;
        var trusted = System.Convert.ToInt64(who[0]["trust"] ?? 0L, CultureInfo.InvariantCulture) != 0;
        if (logBin && !trusted && !global.Contains("SUPER"))
        {
            refusals.Add(
                $"Binary logging is on and log_bin_trust_function_creators is OFF, so the server refuses CREATE TRIGGER from {grantee}, which does not have SUPER; Swap captures the application's writes with triggers. " +
                "Set log_bin_trust_function_creators = 1: on your own server SET GLOBAL log_bin_trust_function_creators = 1 (and in my.cnf so it survives a restart); " +
                "on Amazon RDS and Aurora in the DB parameter group (Aurora: the DB cluster parameter group); on Google Cloud SQL as a database flag; on Azure Database for MySQL as a server parameter. " +
                "It is the one setting managed clouds need for trigger capture.");
        }
        // Foreign keys are carried with MariaDB's SET STATEMENT and ADD/DROP FOREIGN KEY IF [NOT] EXISTS, which MySQL lacks.
        if (original.ForeignKeys.Count + original.ReferencedBy.Count > 0
            && !(await connection.ScalarAsync("SELECT VERSION()", null, transaction, cancellationToken) as string ?? "").Contains("MariaDB", StringComparison.OrdinalIgnoreCase))
        {
            refusals.Add($"It has foreign keys ({string.Join(", ", original.ForeignKeys.Concat(original.ReferencedBy).Select(f => f.Table + "." + f.Name))}); Swap carries foreign keys over on MariaDB only so far. Drop them for the swap and add them back after, or use plain ALTER TABLE.");
        }
        return refusals;
    }
}
