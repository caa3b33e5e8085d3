using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Swap.Discovery;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Authoring;

public class GenerateTests
{
    private static readonly Type[] V1 = [typeof(GenerateV1.Member)];
    private static readonly Type[] V2 = [typeof(GenerateV2.Member), typeof(GenerateV2.Badge)];

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
        Assert.Equal(["create table members (id, email, name, joined, status)"], first.Changes);
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

        Assert.Equal(
            [
                "create table badges (member_id, code, level, note)",
                "rename column members.name to display_name",
                "drop column members.status",
                "add column members.nick string(50)",
                "add column members.score int",
                $"change type of members.email from {(await NativeTypeAsync(target, "members", "email"))} to string(250)",
                "add index ix_members_nick on members (nick)",
            ],
            second.Changes);
        text = File.ReadAllText(second.Path!);
        Assert.True(text.Contains("        var members = await db.UseTableForAlterAsync(\"members\");\n        members.RenameColumn(\"name\", \"display_name\"); // [RenamedFrom]\n        // status left the entity and nick, score joined it. Swap never guesses a rename:\n        // if one is a rename, replace its drop and add with RenameColumn (or mark the property [RenamedFrom(\"old\")]); otherwise the dropped values are lost.\n        members.DropColumn(\"status\");\n        members.AddColumn(DbColumn.String(\"nick\", 50));\n        members.AddColumn(DbColumn.Int(\"score\").NotNull().SetDefault(0));\n", StringComparison.Ordinal), text);
        Assert.Contains(".PrimaryKey(\"member_id\", \"code\")", text, StringComparison.Ordinal);
        Assert.Contains(".Column(DbColumn.Enum(\"level\", \"Bronze\", \"Gold\").NotNull())", text, StringComparison.Ordinal);

        Assert.Equal(["MigrateMembersV2"], (await Migrator(target, t2).UpAsync()).Applied.Select(a => a.Id));
        Assert.Equal(["ann@example.com|Ann|0|"], await RowsAsync(target, "SELECT email, display_name, score, nick FROM members"));
        var third = await Migrator(target, t2).GenerateAsync("Again", V2, folder);
        Assert.True(third.NoChanges, string.Join("\n", third.Changes));

        // The DownAsync takes the change back: the old name and column come back (the dropped values do not).
        await Migrator(target, t2).DownAsync(new DownOptions { Count = 1 });
        Assert.Equal(["ann@example.com|Ann|"], await RowsAsync(target, "SELECT email, name, status FROM members"));
        Assert.DoesNotContain("badges", await target.TablesAsync());
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
