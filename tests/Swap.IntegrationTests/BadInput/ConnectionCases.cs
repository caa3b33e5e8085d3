using Swap.Data;
using Swap.IntegrationTests.Infrastructure;
using Swap.MySql;
using Swap.PostgreSql;
using static Swap.IntegrationTests.BadInput.CatalogTarget;

namespace Swap.IntegrationTests.BadInput;

/// <summary>
/// Connection problems: a missing database or schema, a user without the privileges a swap
/// needs, a file that is not a database, a server without TLS when TLS is required, an unknown
/// user. Each fails with the connection's exit code (5) or, once connected, says which privilege
/// is missing; nothing is changed.
/// </summary>
public class ConnectionCases
{
    private static string SwapScript(CatalogTarget t) => t.CSharp("20261120000000", "MigrateAddStock", """
        var table = await db.UseTableForAlterAsync("items");
        table.AddColumn(DbColumn.Int("stock").SetDefault(0));
        await db.DoneUsingTablesAsync("items");
        """);

    [Fact]
    public async Task A_missing_mysql_database_is_named()
    {
        await using var t = await CreateAsync(DatabaseEngine.MySql);
        SwapScript(t);
        var s = TestServers.MySql;
        var run = await t.RunRawAsync(["--db", $"mysql://{s.User}:{s.Password}@{s.Host}:{s.Port}/no_such_db_{t.Target.Name}", "up"]);
        AssertFails(run, 5, $"error: Could not connect to mysql://{s.User}:***@{s.Host}:{s.Port}/no_such_db_{t.Target.Name}: the database 'no_such_db_{t.Target.Name}' does not exist. Create it, or fix the database name in the URL.\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_missing_postgresql_database_is_named()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        SwapScript(t);
        var s = TestServers.Postgres;
        var run = await t.RunRawAsync(["--db", $"postgres://{s.User}:{s.Password}@{s.Host}:{s.Port}/no_such_db?schema={t.Target.Name}", "up"]);
        AssertFails(run, 5, $"error: Could not connect to postgres://{s.User}:***@{s.Host}:{s.Port}/no_such_db?schema={t.Target.Name}: the database 'no_such_db' does not exist. Create it, or fix the database name in the URL.\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_postgresql_url_without_the_password_the_server_asks_for_says_where_to_put_it()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        SwapScript(t);
        var s = TestServers.Postgres;
        Assert.Null(Environment.GetEnvironmentVariable("PGPASSWORD"));
        var run = await t.RunRawAsync(["--db", $"postgres://{s.User}@{s.Host}:{s.Port}/{s.Database}?schema={t.Target.Name}", "up"]);
        AssertFails(run, 5, $"error: Could not connect to postgres://{s.User}@{s.Host}:{s.Port}/{s.Database}?schema={t.Target.Name}: the server asks for a password and none was given. " +
            "Add it to the URL after the user name and a colon, or put it in PGPASSWORD or a password file (~/.pgpass, or the file PGPASSFILE names).\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_missing_postgresql_schema_is_named()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        SwapScript(t);
        var s = TestServers.Postgres;
        var run = await t.RunRawAsync(["--db", $"postgres://{s.User}:{s.Password}@{s.Host}:{s.Port}/{s.Database}?schema=no_such_schema_{t.Target.Name}", "up"]);
        AssertFails(run, 5, $"the schema 'no_such_schema_{t.Target.Name}' does not exist in the database '{s.Database}'. Create it with CREATE SCHEMA, or fix the schema in the URL.\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_mysql_user_that_may_only_read_is_told_which_privilege_is_missing()
    {
        await using var t = await CreateAsync(DatabaseEngine.MySql);
        SwapScript(t);
        var user = "ro_" + t.Target.Name[2..];
        await using (var admin = await new MySqlDatabase(TestServers.MySql).OpenConnectionAsync(default))
        {
            await admin.ExecuteAsync($"CREATE USER '{user}'@'%' IDENTIFIED BY 'ro-pw-1'", default);
            await admin.ExecuteAsync($"GRANT SELECT ON `{t.Target.Name}`.* TO '{user}'@'%'", default);
        }
        try
        {
            var s = TestServers.MySql;
            var run = await t.RunRawAsync(["--db", $"mysql://{user}:ro-pw-1@{s.Host}:{s.Port}/{t.Target.Name}", "up"]);
            AssertFails(run, 1, $"error: Taking the run lock on mysql://{user}:***@{s.Host}:{s.Port}/{t.Target.Name} failed: 1142: CREATE command denied to user '{user}'@");
            Assert.EndsWith("The database user lacks a privilege this needs; grant it, or run as a user that has it.\n", run.Err, StringComparison.Ordinal);
            await t.AssertUnchangedAsync();
        }
        finally
        {
            await using var admin = await new MySqlDatabase(TestServers.MySql).OpenConnectionAsync(default);
            await admin.ExecuteAsync($"DROP USER IF EXISTS '{user}'@'%'", default);
        }
    }

    [Fact]
    public async Task A_postgresql_role_that_may_only_read_is_told_which_privilege_is_missing()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        SwapScript(t);
        var role = "ro_" + t.Target.Name[2..];
        await using (var admin = await new PostgresDatabase(TestServers.Postgres).OpenConnectionAsync(default))
        {
            await admin.ExecuteAsync($"CREATE ROLE \"{role}\" LOGIN PASSWORD 'ro-pw-1'", default);
            await admin.ExecuteAsync($"GRANT USAGE ON SCHEMA \"{t.Target.Name}\" TO \"{role}\"", default);
            await admin.ExecuteAsync($"GRANT SELECT ON ALL TABLES IN SCHEMA \"{t.Target.Name}\" TO \"{role}\"", default);
        }
        try
        {
            var s = TestServers.Postgres;
            var run = await t.RunRawAsync(["--db", $"postgres://{role}:ro-pw-1@{s.Host}:{s.Port}/{s.Database}?schema={t.Target.Name}", "up"]);
            AssertFails(run, 7, $"error: Taking the run lock on postgres://{role}:***@{s.Host}:{s.Port}/{s.Database}?schema={t.Target.Name} failed: 42501: permission denied for schema {t.Target.Name}");
            Assert.EndsWith($"The user \"{role}\" may not create tables in the schema '{t.Target.Name}' (Swap keeps its history, journal and lock there, and makes copies and change logs there). Grant it: GRANT USAGE, CREATE ON SCHEMA \"{t.Target.Name}\" TO \"{role}\";\n", run.Err, StringComparison.Ordinal);
            await t.AssertUnchangedAsync();
        }
        finally
        {
            await using var admin = await new PostgresDatabase(TestServers.Postgres).OpenConnectionAsync(default);
            await admin.ExecuteAsync($"DROP OWNED BY \"{role}\"", default);
            await admin.ExecuteAsync($"DROP ROLE IF EXISTS \"{role}\"", default);
        }
    }

    [Fact]
    public async Task A_file_that_is_not_a_sqlite_database_is_named()
    {
        await using var t = await CreateAsync(DatabaseEngine.Sqlite);
        SwapScript(t);
        var notes = Path.Combine(t.Target.Folder, "notes.db");
        File.WriteAllText(notes, "this is a text file, not a database, and it stays one\n");
        var run = await t.RunRawAsync(["--db", "sqlite:" + notes, "up"]);
        AssertFails(run, 5, $"error: Could not open sqlite:{notes}: the file is not a SQLite database.\n");
        Assert.Equal("this is a text file, not a database, and it stays one\n", File.ReadAllText(notes));
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task Status_of_a_sqlite_file_in_a_missing_folder_says_the_folder_is_missing_and_up_names_it()
    {
        await using var t = await CreateAsync(DatabaseEngine.Sqlite);
        SwapScript(t);
        var folder = Path.Combine(t.Target.Folder, "no-such-folder");
        var file = Path.Combine(folder, "app.db");

        var status = await t.RunRawAsync(["--db", "sqlite:" + file, "status"]);
        var up = await t.RunRawAsync(["--db", "sqlite:" + file, "up"]);

        Assert.Contains($"The SQLite database {file} does not exist, nor does its folder {folder}; showing it as empty. 'swap up' creates the file but not the folder", status.Err, StringComparison.Ordinal);
        Assert.Equal(5, up.Code);
        Assert.False(Directory.Exists(folder));
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_sqlite_path_that_is_a_folder_is_named_as_one_by_status_and_up()
    {
        await using var t = await CreateAsync(DatabaseEngine.Sqlite);
        SwapScript(t);
        var folder = Path.Combine(t.Target.Folder, "data.db");
        Directory.CreateDirectory(folder);

        var status = await t.RunRawAsync(["--db", "sqlite:" + folder, "status"]);
        var up = await t.RunRawAsync(["--db", "sqlite:" + folder, "up"]);

        var message = $"error: Could not open sqlite:{folder}: it is a folder, not a file. Name the database file, for example sqlite:{folder}/app.db.\n";
        AssertFails(status, 5, message);
        Assert.DoesNotContain("does not exist", status.Err, StringComparison.Ordinal);
        AssertFails(up, 5, message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
        Assert.False(File.Exists(folder + ".swap-lock"));
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_sqlite_run_lock_file_swap_may_not_open_is_a_connection_error_and_status_still_reads()
    {
        // Root ignores file modes, so the lock file is made a folder: opening it is the same
        // "access denied" a user gets from a read-only database folder or another user's lock file.
        await using var t = await CreateAsync(DatabaseEngine.Sqlite);
        SwapScript(t);
        var lockPath = t.Target.Name + ".swap-lock";
        File.Delete(lockPath);
        Directory.CreateDirectory(lockPath);
        try
        {
            var status = await t.RunAsync("status");
            var up = await t.RunAsync("up");

            Assert.True(status.Code == 0, status.ToString());
            Assert.Matches($"(?m)^applied\t[^\t]+\t{BaseScript}\t", status.Out);
            Assert.Matches("(?m)^pending\t[^\t]+\tMigrateAddStock\t", status.Out);
            AssertFails(up, 5, $"error: Swap cannot create or open its run lock file {lockPath}: access is denied. Run swap as a user that may write the database and its folder {Path.GetDirectoryName(t.Target.Name)} (SQLite creates its journal files there too). Nothing was changed.\n");
            await t.AssertUnchangedAsync();
        }
        finally
        {
            Directory.Delete(lockPath);
        }
    }

    [Fact]
    public async Task Requiring_tls_from_a_server_without_it_is_a_connection_error()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        SwapScript(t);
        var s = TestServers.Postgres;
        var run = await t.RunRawAsync(["--db", $"postgres://{s.User}:{s.Password}@{s.Host}:{s.Port}/{s.Database}?schema={t.Target.Name}&sslmode=require", "up"]);
        AssertFails(run, 5, $"error: Could not connect to postgres://{s.User}:***@{s.Host}:{s.Port}/{s.Database}?schema={t.Target.Name}: ");
        Assert.Contains("SSL", run.Err, StringComparison.Ordinal);
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task An_unknown_mysql_user_is_refused_by_the_server()
    {
        await using var t = await CreateAsync(DatabaseEngine.MySql);
        SwapScript(t);
        var s = TestServers.MySql;
        var run = await t.RunRawAsync(["--db", $"mysql://nobody_{t.Target.Name[2..]}:{s.Password}@{s.Host}:{s.Port}/{t.Target.Name}", "up"]);
        AssertFails(run, 5, "the server refused the user name or password. Check the credentials in --db or SWAP_DB.\n");
        await t.AssertUnchangedAsync();
    }
}
