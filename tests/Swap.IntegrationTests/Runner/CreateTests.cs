using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

public class CreateTests
{
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Create_writes_stubs_into_migrations_and_group_folders(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);

        var sql = await SwapCli.RunAsync(target, "create", "Add user roles");
        Assert.Equal(0, sql.ExitCode);
        var sqlPath = Assert.Single(sql.OutLines);
        Assert.Matches(@"^migrations/\d{14}_add_user_roles\.sql$", sqlPath);
        Assert.StartsWith("-- Add user roles\n", File.ReadAllText(Path.Combine(target.Folder, sqlPath)), StringComparison.Ordinal);

        var grouped = await SwapCli.RunAsync(target, "create", "Fill roles", "--cs", "--group", "user roles");
        Assert.Equal(0, grouped.ExitCode);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Matches($@"^migrations/{today}-user-roles/\d{{14}}_FillRoles\.cs$", Assert.Single(grouped.OutLines));

        var both = await SwapCli.RunAsync(target, "create", "x", "--sql", "--cs");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("Pick one of --sql and --cs.", both.Err, StringComparison.Ordinal);
        Assert.Empty(await target.TablesAsync());
    }

    [Fact]
    public async Task Create_with_json_prints_the_path_as_a_json_document()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);

        var created = await SwapCli.RunAsync(target, "create", "Add user roles", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(created.Out);
        var path = doc.RootElement.GetProperty("path").GetString()!;
        Assert.Matches(@"^migrations/\d{14}_add_user_roles\.sql$", path);
        Assert.StartsWith("-- Add user roles\n", File.ReadAllText(Path.Combine(target.Folder, path)), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_created_csharp_stub_compiles_runs_up_and_has_no_down_until_one_is_written(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var created = await SwapCli.RunAsync(target, "create", "Seed countries", "--cs");
        Assert.Equal(0, created.ExitCode);

        var up = await SwapCli.RunAsync(target, "up");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(["MigrateSeedCountries"], await target.HistoryIdsAsync());
        Assert.Equal("cs", (await target.HistoryAsync())[0].Kind);

        var down = await SwapCli.RunAsync(target, "down");
        Assert.Equal(7, down.ExitCode);
        Assert.Equal("error: MigrateSeedCountries has no down, so it cannot be reverted; nothing was reverted. To make it revertible, override DownAsync; or undo it with a new forward migration.\n", down.Err);
        Assert.Equal(["MigrateSeedCountries"], await target.HistoryIdsAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_sql_stub_whose_down_section_holds_only_comments_is_refused_by_down(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var created = await SwapCli.RunAsync(target, "create", "Add notes");
        var path = Path.Combine(target.Folder, Assert.Single(created.OutLines));
        File.WriteAllText(path, "CREATE TABLE notes (id INT NOT NULL PRIMARY KEY);\n" + File.ReadAllText(path) + "/* nothing yet */\n");
        var id = Path.GetFileNameWithoutExtension(path);
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);

        var down = await SwapCli.RunAsync(target, "down");
        Assert.Equal(7, down.ExitCode);
        Assert.Equal("", down.Out);
        Assert.Equal($"error: {id} cannot be reverted: its down section holds no statement (only comments), so it has no down; nothing was reverted. Write the statements that undo it under '-- swap:down' (or delete the section), or undo it with a new forward migration.\n", down.Err);
        Assert.Equal([id], await target.HistoryIdsAsync());
        Assert.Contains("notes", await target.TablesAsync());
        // The next up finds nothing to do, rather than failing on a table a fake revert left behind.
        var again = await SwapCli.RunAsync(target, "up");
        Assert.Equal(["Nothing to apply: the database is up to date."], again.OutLines);
    }

    /// <summary>
    /// A fresh SQL stub breaks no verb while it is being written: status lists it as pending and
    /// says it is empty; only up and plan, which would run it, refuse, naming the file.
    /// </summary>
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_fresh_sql_stub_leaves_status_working_and_up_refuses_it_naming_the_file(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_base", "base");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        target.CreateTable("20261119000000_next", "next_table");
        var created = await SwapCli.RunAsync(target, "create", "Add notes");
        Assert.Equal(0, created.ExitCode);
        var path = Path.Combine(target.Folder, Assert.Single(created.OutLines));
        var id = Path.GetFileNameWithoutExtension(path);
        var history = await target.HistoryAsync();

        var status = await SwapCli.RunAsync(target, "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"\t{id}\t-\tno statements in its up section yet: write them before 'swap up' runs it\n", status.Out, StringComparison.Ordinal);
        Assert.StartsWith("pending\t", status.OutLines.Single(l => l.Contains(id, StringComparison.Ordinal) && !l.StartsWith("next:", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(0, (await SwapCli.RunAsync(target, "validate")).ExitCode);

        var refusal = $"error: {path}(1): the SQL migration {id} has no statements in its up section yet (a stub from 'swap create' holds only comments). Write its statements above '-- swap:down' (or delete the file if it is not needed), then run again; nothing was run.\n";
        var up = await SwapCli.RunAsync(target, "up");
        Assert.True(up.ExitCode == 6, up.ToString());
        Assert.Equal(refusal, up.Err);
        // Refused before any script ran: the pending script before the stub did not run either.
        Assert.Equal(history, await target.HistoryAsync());
        Assert.DoesNotContain("next_table", await target.TablesAsync());

        // The stub fails the plan although a pending script comes before it: no change of that script fills it in.
        var plan = await SwapCli.RunAsync(target, "plan");
        Assert.True(plan.ExitCode == 1, plan.ToString());
        Assert.Contains($"   cannot plan in advance: {path}(1): the SQL migration {id} has no statements in its up section yet (a stub from 'swap create' holds only comments).", plan.Out, StringComparison.Ordinal);

        // Up to the script before the stub is fine; once written, the stub runs.
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up", "--to", "20261119000000_next")).ExitCode);
        File.WriteAllText(path, "CREATE TABLE notes (id INT NOT NULL PRIMARY KEY);\n" + File.ReadAllText(path));
        var filled = await SwapCli.RunAsync(target, "up");
        Assert.True(filled.ExitCode == 0, filled.ToString());
        Assert.Equal(["20261118000000_base", "20261119000000_next", id], await target.HistoryIdsAsync());
    }

    [Fact]
    public async Task Create_with_a_module_folder_writes_into_its_migrations_folder_and_keeps_non_ascii_letters()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        var created = await SwapCli.RunAsync(target, "create", "Ajouter les rôles", "--cs", "-m", "modules/billing");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Matches(@"^modules/billing/migrations/\d{14}_AjouterLesRôles\.cs$", Assert.Single(created.OutLines));
        var sql = await SwapCli.RunAsync(target, "create", "Größe ändern", "-m", "modules/billing");
        Assert.Matches(@"^modules/billing/migrations/\d{14}_größe_ändern\.sql$", Assert.Single(sql.OutLines));
        File.Delete(Path.Combine(target.Folder, sql.OutLines[0]));

        var status = await SwapCli.RunAsync(target, "-m", "modules/billing", "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal("pending\tbilling\tMigrateAjouterLesRôles\t-", status.OutLines[1]);
        // A folder that already holds scripts is a migrations folder itself.
        target.WriteFile("db/scripts/20261118000000_a.sql", "CREATE TABLE a (id INT NOT NULL PRIMARY KEY);\n");
        var flat = await SwapCli.RunAsync(target, "create", "b", "-m", "db/scripts");
        Assert.Matches(@"^db/scripts/\d{14}_b\.sql$", Assert.Single(flat.OutLines));
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task With_several_modules_create_needs_module_and_writes_into_that_module(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        Directory.CreateDirectory(Path.Combine(target.Folder, "modules", "users", "migrations"));
        Directory.CreateDirectory(Path.Combine(target.Folder, "modules", "billing", "migrations"));
        string[] modules = ["--migrations", "modules/users", "--migrations", "modules/billing"];

        var ambiguous = await SwapCli.RunAsync(target, ["create", "Add tax", .. modules]);
        Assert.Equal(2, ambiguous.ExitCode);
        Assert.Contains("Several migrations folders are configured; say which module with --module (users, billing).", ambiguous.Err, StringComparison.Ordinal);

        var billing = await SwapCli.RunAsync(target, ["create", "Add tax", "--module", "billing", .. modules]);
        Assert.Equal(0, billing.ExitCode);
        Assert.Matches(@"^modules/billing/migrations/\d{14}_add_tax\.sql$", Assert.Single(billing.OutLines));

        var unknown = await SwapCli.RunAsync(target, ["create", "Add tax", "--module", "shipping", .. modules]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("No configured migrations folder belongs to module 'shipping'. Configured: users, billing.", unknown.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_refuses_a_csharp_stub_whose_class_another_script_already_defines()
    {
        // cli.md shows both 'create "Add user roles" --cs' and the same with --group: run one after the
        // other, the second stub defined MigrateAddUserRoles again, and every verb then failed to compile.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        var first = await SwapCli.RunAsync(target, "create", "Add user roles", "--cs");
        Assert.Equal(0, first.ExitCode);
        var firstPath = Path.Combine(target.Folder, Assert.Single(first.OutLines));

        var again = await SwapCli.RunAsync(target, "create", "add USER roles", "--cs", "--group", "user roles");
        Assert.Equal(2, again.ExitCode);
        Assert.Equal("", again.Out);
        Assert.Equal($"error: {firstPath} already defines the class MigrateAddUserRoles, and MigrateAddUSERRoles, the id a C# script with this title would have, must differ from it (ids are unique, letter case aside). Pick another title; nothing was written.\n", again.Err);
        Assert.Equal([firstPath], Directory.GetFiles(Path.Combine(target.Folder, "migrations"), "*", SearchOption.AllDirectories));

        // A SQL stub with the same title has its own id (timestamp_title) and is written.
        var sql = await SwapCli.RunAsync(target, "create", "Add user roles");
        Assert.Equal(0, sql.ExitCode);
        var status = await SwapCli.RunAsync(target, "status");
        Assert.True(status.ExitCode == 0, status.ToString()); // the C# scripts compile, and the SQL stub without statements yet still loads
        Assert.Equal(2, status.OutLines.Count(l => l.StartsWith("pending\t", StringComparison.Ordinal)));
    }
}
