using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Swap.Discovery;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Authoring;

public class GenerateTests
{
    private static readonly Type[] V1 = [typeof(GenerateV1.Member), typeof(GenerateV1.Team)];
    private static readonly Type[] WithChecks = [typeof(GenerateChecks.Member), typeof(GenerateChecks.Team)];
    private static readonly Type[] V2 = [typeof(GenerateV2.Member), typeof(GenerateV2.Badge), typeof(GenerateV2.Team)];

    /// <summary>A clock for the file names only: each generated script gets its own second.</summary>
    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static Migrator Migrator(TestTarget target, DateTimeOffset now)
    {
        var options = new MigratorOptions { TimeProvider = new Clock(now) };
        options.Sources.Add(MigrationSource.Folder(Path.Combine(target.Folder, "migrations")));
        return new Migrator(target.Database(), options);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Entities_to_migration_to_up_then_no_changes_then_a_changed_entity_alters_online_and_reverts(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var folder = Path.Combine(target.Folder, "migrations");
        Directory.CreateDirectory(folder);
        var t1 = new DateTimeOffset(2026, 11, 18, 8, 0, 0, TimeSpan.Zero);

        var first = await Migrator(target, t1).GenerateAsync("Create members", V1, folder);

        Assert.Equal(Path.Combine(folder, "20261118080000_CreateMembers.cs"), first.Path);
        Assert.Equal(["create table members (id, email, name, joined, status)", "create table teams (id, name)"], first.Changes);
        var text = File.ReadAllText(first.Path!);
        Assert.Contains("""
                    await db.CreateTableAsync("members", t => t
                        .Column(DbColumn.BigInt("id").Identity())
                        .Column(DbColumn.String("email", 200).NotNull())
                        .Column(DbColumn.String("name", 100))
                        .Column(DbColumn.Timestamp("joined").NotNull())
                        .Column(DbColumn.String("status", 20))
                        .Index(DbIndex.Unique("email").Named("ux_members_email")));
            """, text, StringComparison.Ordinal);
        Assert.Contains("        await db.DropTableAsync(\"members\");", text, StringComparison.Ordinal);

        Assert.Equal(["MigrateCreateMembers"], (await Migrator(target, t1).UpAsync()).Applied.Select(a => a.Id));
        var again = await Migrator(target, t1).GenerateAsync("Again", V1, folder);
        Assert.True(again.NoChanges, string.Join("\n", again.Changes));
        Assert.Single(Directory.GetFiles(folder));

        await target.ExecuteAsync("INSERT INTO members (email, name, joined, status) VALUES ('ann@example.com', 'Ann', @t, 'old')", new { t = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc) });
        var t2 = t1.AddMinutes(1);
        var second = await Migrator(target, t2).GenerateAsync("Members v2", V2, folder);

        // Principals first: teams (unchanged), members (gains a key to teams), then badges (with a key to members).
        Assert.Equal(
            [
                "rename column members.name to display_name",
                "drop column members.status",
                "add column members.nick string(50)",
                "add column members.score int",
                "add column members.team_id int",
                $"change type of members.email from {(await NativeTypeAsync(target, "members", "email"))} to string(250)",
                "add index ix_members_nick on members (nick)",
                "add foreign key fk_members_team_id on members (team_id) -> teams (id)",
                "create table badges (member_id, code, level, note)",
            ],
            second.Changes);
        text = File.ReadAllText(second.Path!);
        Assert.True(text.Contains("        var members = await db.UseTableForAlterAsync(\"members\");\n        members.RenameColumn(\"name\", \"display_name\"); // [RenamedFrom]\n        // status left the entity and nick, score, team_id joined it. Swap never guesses a rename:\n        // if one is a rename, replace its drop and add with RenameColumn (or mark the property [RenamedFrom(\"old\")]); otherwise the dropped values are lost.\n        members.DropColumn(\"status\");\n        members.AddColumn(DbColumn.String(\"nick\", 50));\n        members.AddColumn(DbColumn.Int(\"score\").NotNull().SetDefault(0));\n", StringComparison.Ordinal), text);
        Assert.Contains(".PrimaryKey(\"member_id\", \"code\")", text, StringComparison.Ordinal);
        Assert.Contains(".Column(DbColumn.Enum(\"level\", \"Bronze\", \"Gold\").NotNull())", text, StringComparison.Ordinal);
        Assert.Contains(".ForeignKey(DbForeignKey.Create(\"member_id\", \"members\", \"id\").Named(\"fk_badges_member_id\").OnDelete(\"CASCADE\"))", text, StringComparison.Ordinal);
        Assert.Contains("        members.AddForeignKey(DbForeignKey.Create(\"team_id\", \"teams\", \"id\").Named(\"fk_members_team_id\"));\n", text, StringComparison.Ordinal);
        Assert.Contains("        var members = await db.UseTableForAlterAsync(\"members\");\n        members.DropForeignKey(\"fk_members_team_id\");\n", text, StringComparison.Ordinal);

        Assert.Equal(["MigrateMembersV2"], (await Migrator(target, t2).UpAsync()).Applied.Select(a => a.Id));
        Assert.Equal(["ann@example.com|Ann|0|"], await RowsAsync(target, "SELECT email, display_name, score, nick FROM members"));
        await AssertForeignKeysAsync(target);
        var third = await Migrator(target, t2).GenerateAsync("Again", V2, folder);
        Assert.True(third.NoChanges, string.Join("\n", third.Changes));

        // The DownAsync takes the change back: the old name and column come back (the dropped values do not).
        // Not on SQLite: the engineer cannot drop a foreign key there yet, so the down's DropForeignKey is refused.
        if (engine == DatabaseEngine.Sqlite)
        {
            var refused = await Assert.ThrowsAsync<SwapException>(() => Migrator(target, t2).DownAsync(new DownOptions { Count = 1 }));
            Assert.Equal(SwapErrorKind.Refused, refused.Kind);
            // Not "has no foreign key 'fk_members_team_id'. Its foreign keys are: fk0." (SQLite's catalog has no key names).
            Assert.Contains("Table 'members': dropping a foreign key ('fk_members_team_id') is not supported on SQLite yet; rebuild the table with plain SQL instead.", refused.Message, StringComparison.Ordinal);
            return;
        }
        await Migrator(target, t2).DownAsync(new DownOptions { Count = 1 });
        Assert.Equal(["ann@example.com|Ann|"], await RowsAsync(target, "SELECT email, name, status FROM members"));
        Assert.DoesNotContain("badges", await target.TablesAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Against_the_written_migrations_it_writes_an_sql_pair_that_up_runs_online_and_then_finds_no_changes(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var folder = Path.Combine(target.Folder, "migrations");
        Directory.CreateDirectory(folder);
        var t1 = new DateTimeOffset(2026, 11, 18, 8, 0, 0, TimeSpan.Zero);
        var t2 = t1.AddMinutes(1);
        // The scratch is a temporary SQLite file, or a database (MySQL) / schema (PostgreSQL) made on the shadow server and dropped.
        var generate = new GenerateOptions { AgainstMigrations = true, Sql = true, Shadow = engine == DatabaseEngine.Sqlite ? null : DatabaseUrl.Parse(target.UrlText) };

        var first = await Migrator(target, t1).GenerateAsync("Create members", V1, folder, generate);

        Assert.Equal(Path.Combine(folder, "20261118080000_create_members.up.sql"), first.Path);
        Assert.Equal(Path.Combine(folder, "20261118080000_create_members.down.sql"), first.DownPath);
        Assert.DoesNotContain("swap:online", File.ReadAllText(first.Path!), StringComparison.Ordinal);
        Assert.Empty(await target.TablesAsync());
        // The first script is pending here: compared with what it creates, the entities need nothing more.
        var again = await Migrator(target, t1).GenerateAsync("Again", V1, folder, generate);
        Assert.True(again.NoChanges, string.Join("\n", again.Changes));

        var second = await Migrator(target, t2).GenerateAsync("Members v2", V2, folder, generate);

        Assert.Contains("add foreign key fk_members_team_id on members (team_id) -> teams (id)", second.Changes);
        var up = File.ReadAllText(second.Path!);
        Assert.StartsWith($"-- Members v2\n-- Generated by 'swap generate --sql' for {engine.ProductName()} from the entity classes, against the migrations already written.", up, StringComparison.Ordinal);
        Assert.Contains("\n-- swap:online\n", up, StringComparison.Ordinal);
        Assert.Matches(@"ALTER TABLE \W?members\W?\n  RENAME COLUMN \W?name\W? TO \W?display_name\W?,\n  DROP COLUMN \W?status\W?,", up);
        Assert.Empty(await target.TablesAsync());

        var applied = await Migrator(target, t2).UpAsync();

        Assert.Equal(["20261118080000_create_members", "20261118080100_members_v2"], applied.Applied.Select(a => a.Id));
        await target.ExecuteAsync("INSERT INTO members (email, display_name, joined) VALUES ('ann@example.com', 'Ann', @t)", new { t = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc) });
        Assert.Equal(["ann@example.com|Ann|0|"], await RowsAsync(target, "SELECT email, display_name, score, nick FROM members"));
        await AssertForeignKeysAsync(target);
        Assert.True((await Migrator(target, t2).GenerateAsync("Again", V2, folder, generate)).NoChanges);
        Assert.True((await Migrator(target, t2).GenerateAsync("Again", V2, folder)).NoChanges);
        Assert.Equal(4, Directory.GetFiles(folder).Length);

        if (engine == DatabaseEngine.Sqlite)
            return; // the down drops a foreign key, which the engineer cannot do on SQLite yet
        await Migrator(target, t2).DownAsync(new DownOptions { Count = 1 });
        Assert.Equal(["ann@example.com|Ann|"], await RowsAsync(target, "SELECT email, name, status FROM members"));
        Assert.DoesNotContain("badges", await target.TablesAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Sql_adds_enum_and_boolean_columns_with_the_check_the_engine_keeps_them_with(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var folder = Path.Combine(target.Folder, "migrations");
        Directory.CreateDirectory(folder);
        var t1 = new DateTimeOffset(2026, 11, 18, 8, 0, 0, TimeSpan.Zero);
        var t2 = t1.AddMinutes(1);
        var generate = new GenerateOptions { AgainstMigrations = true, Sql = true, Shadow = engine == DatabaseEngine.Sqlite ? null : DatabaseUrl.Parse(target.UrlText) };
        await Migrator(target, t1).GenerateAsync("Create members", V1, folder, generate);
        await Migrator(target, t1).UpAsync();
        await target.ExecuteAsync("INSERT INTO members (email, joined) VALUES ('ann@example.com', @t)", new { t = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc) });

        var second = await Migrator(target, t2).GenerateAsync("Tiers", WithChecks, folder, generate);

        // PostgreSQL and SQLite keep an enum as text with a CHECK (SQLite a boolean too); MariaDB has ENUM and BOOLEAN.
        var up = File.ReadAllText(second.Path!);
        Assert.Equal(engine != DatabaseEngine.MySql, up.Contains("ADD CONSTRAINT \"ck_members_tier\" CHECK (\"tier\" IN ('Bronze', 'Gold'))", StringComparison.Ordinal));
        Assert.Equal(engine == DatabaseEngine.Sqlite, up.Contains("ADD CONSTRAINT \"ck_members_active\" CHECK (\"active\" IN (0, 1))", StringComparison.Ordinal));
        Assert.Equal(["20261118080100_tiers"], (await Migrator(target, t2).UpAsync()).Applied.Select(a => a.Id));
        Assert.Equal(["ann@example.com|Bronze"], await RowsAsync(target, "SELECT email, tier FROM members"));
        Assert.Equal(1, await target.CountAsync("members", "NOT active"));
        await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync("INSERT INTO members (email, joined, tier) VALUES ('bo@example.com', @t, 'Platinum')", new { t = DateTime.UtcNow }));
        if (engine == DatabaseEngine.Sqlite)
            await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync("INSERT INTO members (email, joined, active) VALUES ('bo@example.com', @t, 2)", new { t = DateTime.UtcNow }));
        await target.ExecuteAsync("INSERT INTO members (email, joined, tier) VALUES ('cy@example.com', @t, 'Gold')", new { t = DateTime.UtcNow });
        Assert.True((await Migrator(target, t2).GenerateAsync("Again", WithChecks, folder, generate)).NoChanges);
        Assert.True((await Migrator(target, t2).GenerateAsync("Again", WithChecks, folder)).NoChanges);

        await Migrator(target, t2).DownAsync(new DownOptions { Count = 1 });

        Assert.Equal(["ann@example.com", "cy@example.com"], await RowsAsync(target, "SELECT email FROM members ORDER BY email"));
        await Assert.ThrowsAnyAsync<Exception>(() => target.QueryAsync("SELECT tier FROM members"));
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Generate_refuses_while_scripts_are_pending_and_without_entities(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        var folder = Path.Combine(target.Folder, "migrations");

        var pending = await Assert.ThrowsAsync<SwapException>(() => Migrator(target, DateTimeOffset.UtcNow).GenerateAsync("x", V1, folder));
        Assert.Equal(SwapErrorKind.Refused, pending.Kind);
        Assert.StartsWith("1 script(s) are pending (20261118000000_a); generate compares the entities with the live database", pending.Message, StringComparison.Ordinal);
        var none = await Assert.ThrowsAsync<SwapException>(() => Migrator(target, DateTimeOffset.UtcNow).GenerateAsync("x", [typeof(GenerateTests)], folder));
        Assert.Equal(SwapErrorKind.Usage, none.Kind);
        Assert.Single(Directory.GetFiles(folder));
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Swap_generate_reads_an_entity_assembly_and_writes_a_migration_that_up_applies(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        Directory.CreateDirectory(Path.Combine(target.Folder, "migrations"));
        var dll = Compile(target.Folder, $"Notes.Entities.{engine}", """
            #nullable enable
            using System.ComponentModel.DataAnnotations;
            using System.ComponentModel.DataAnnotations.Schema;

            [Table("notes")]
            public sealed class Note
            {
                [Column("id")] public int Id { get; set; }
                [Column("body")] public string Body { get; set; } = "";
                [Column("tag"), MaxLength(30)] public string? Tag { get; set; }
            }
            """);

        var run = await SwapCli.RunAsync(target, "generate", "Create notes", "--from", dll);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("change\tcreate table notes (id, body, tag)", run.OutLines[0]);
        Assert.Matches(@"^migrations/\d{14}_CreateNotes\.cs$", run.OutLines[1]);
        Assert.Contains(".Column(DbColumn.Text(\"body\").NotNull())", File.ReadAllText(Path.Combine(target.Folder, run.OutLines[1])), StringComparison.Ordinal);
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        await target.ExecuteAsync("INSERT INTO notes (body) VALUES ('first')");
        Assert.Equal(["1|first|"], await RowsAsync(target, "SELECT id, body, tag FROM notes"));

        var again = await SwapCli.RunAsync(target, "generate", "Again", "--from", dll);
        Assert.Equal(["No changes: the database matches the entities."], again.OutLines);
        Assert.Single(Directory.GetFiles(Path.Combine(target.Folder, "migrations")));

        var missing = await SwapCli.RunAsync(target, "generate", "x", "--from", "nope.dll");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist. Build it, or fix the path in --from.", missing.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swap_generate_without_a_database_compares_with_the_written_migrations_and_writes_sql()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        var migrations = Path.Combine(target.Folder, "migrations");
        Directory.CreateDirectory(migrations);
        var dll = Compile(target.Folder, "Tags.Entities", """
            using System.ComponentModel.DataAnnotations;
            using System.ComponentModel.DataAnnotations.Schema;

            [Table("tags")]
            public sealed class Tag
            {
                [Column("id")] public int Id { get; set; }
                [Column("label"), MaxLength(30), Required] public string Label { get; set; } = "";
            }
            """);

        var run = await SwapCli.RunRawAsync(target.Folder, ["generate", "Create tags", "--from", dll, "--sql"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("change\tcreate table tags (id, label)", run.OutLines[0]);
        Assert.Matches(@"^migrations/\d{14}_create_tags\.up\.sql$", run.OutLines[1]);
        Assert.Matches(@"^migrations/\d{14}_create_tags\.down\.sql$", run.OutLines[2]);
        Assert.Contains("CREATE TABLE \"tags\"", File.ReadAllText(Path.Combine(target.Folder, run.OutLines[1])), StringComparison.Ordinal);
        Assert.Equal("\nDROP TABLE \"tags\";\n", File.ReadAllText(Path.Combine(target.Folder, run.OutLines[2])).Split('\n', 2)[1]);
        var again = await SwapCli.RunRawAsync(target.Folder, ["generate", "Again", "--from", dll, "--sql"]);
        Assert.Equal(["No changes: the migrations already written create what the entities describe."], again.OutLines);

        var noDb = await SwapCli.RunRawAsync(target.Folder, ["generate", "x", "--from", dll, "--against", "db"]);
        Assert.Equal(2, noDb.ExitCode);
        Assert.Contains("No database given.", noDb.Err, StringComparison.Ordinal);
        var noShadow = await SwapCli.RunRawAsync(target.Folder, ["--db", Environment.GetEnvironmentVariable("SWAP_TEST_POSTGRES")!, "generate", "x", "--from", dll, "--against", "migrations"]);
        Assert.Equal(2, noShadow.ExitCode);
        Assert.Contains("needs a server to replay them on: give --shadow <url>", noShadow.Err, StringComparison.Ordinal);
        Assert.Equal(2, Directory.GetFiles(migrations).Length);
    }

    [Fact]
    public async Task Swap_generate_in_a_project_without_a_migrations_folder_makes_it_as_create_does()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        var migrations = Path.Combine(target.Folder, "migrations");
        Assert.False(Directory.Exists(migrations));
        var dll = Compile(target.Folder, "Labels.Entities", """
            using System.ComponentModel.DataAnnotations.Schema;

            [Table("labels")]
            public sealed class Label
            {
                [Column("id")] public int Id { get; set; }
            }
            """);

        var run = await SwapCli.RunAsync(target, "generate", "Create labels", "--from", dll);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("change\tcreate table labels (id)", run.OutLines[0]);
        Assert.Matches(@"^migrations/\d{14}_CreateLabels\.cs$", run.OutLines[1]);
        Assert.Equal([Path.Combine(target.Folder, run.OutLines[1])], Directory.GetFiles(migrations));
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        Assert.Equal(["MigrateCreateLabels"], await target.HistoryIdsAsync());
    }

    /// <summary>The generated keys hold: a badge of no member and a member of no team are refused; deleting a member cascades to its badges.</summary>
    private static async Task AssertForeignKeysAsync(TestTarget target)
    {
        if (target.Engine == DatabaseEngine.Sqlite)
        {
            // SQLite enforces keys only on connections that ask for it: read them from the catalog.
            Assert.Equal(["members|member_id|id|CASCADE"], await RowsAsync(target, "SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('badges')"));
            Assert.Equal(["teams|team_id|id|NO ACTION"], await RowsAsync(target, "SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('members')"));
            return;
        }
        await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync("INSERT INTO badges (member_id, code, level) VALUES (999, 'x', 'Gold')"));
        await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync("UPDATE members SET team_id = 999"));
        var id = Convert.ToInt64(await target.ScalarAsync("SELECT MIN(id) FROM members"), System.Globalization.CultureInfo.InvariantCulture);
        await target.ExecuteAsync("INSERT INTO badges (member_id, code, level) VALUES (@id, 'x', 'Gold')", new { id });
        await target.ExecuteAsync("INSERT INTO members (email, joined, score) VALUES ('gone@example.com', @t, 1)", new { t = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc) });
        var gone = Convert.ToInt64(await target.ScalarAsync("SELECT id FROM members WHERE email = 'gone@example.com'"), System.Globalization.CultureInfo.InvariantCulture);
        await target.ExecuteAsync("INSERT INTO badges (member_id, code, level) VALUES (@gone, 'y', 'Bronze')", new { gone });
        await target.ExecuteAsync("DELETE FROM members WHERE id = @gone", new { gone });
        Assert.Equal(["x"], await RowsAsync(target, "SELECT code FROM badges"));
        await target.ExecuteAsync("DELETE FROM badges");
    }

    private static string Compile(string folder, string name, string code)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(Migration).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(code)], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var path = Path.Combine(folder, name + ".dll");
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return path;
    }

    private static async Task<string> NativeTypeAsync(TestTarget target, string table, string column)
    {
        var database = target.Database();
        await using var c = await database.OpenConnectionAsync(CancellationToken.None);
        return (await database.TableEngine.LoadTableAsync(c, null, table, CancellationToken.None))!.Column(column)!.NativeType;
    }

    private static async Task<List<string>> RowsAsync(TestTarget target, string sql) =>
        (await target.QueryAsync(sql)).Select(r => string.Join('|', Enumerable.Range(0, r.Columns.Count).Select(i => Convert.ToString(r[i], System.Globalization.CultureInfo.InvariantCulture)))).ToList();
}
