using Swap.Discovery;

namespace Swap.Tests.Discovery;

public class CSharpScriptCompilerTests
{
    [Fact]
    public void Files_compile_together_so_scripts_can_name_each_other()
    {
        var found = CSharpScriptCompiler.Compile([
            ("/m/a.cs", "public sealed class MigrateA : Migration { public override Task UpAsync(MigrationContext db) => Task.CompletedTask; }"),
            ("/m/b.cs", "namespace App.Db; public sealed class MigrateB : Migration { public MigrateB() { ExecuteAfter<MigrateA>(); NoTransaction(); } public override Task UpAsync(MigrationContext db) => Task.CompletedTask; }"),
            ("/m/helper.cs", "public static class NotAMigration { public const int X = 1; }"),
        ]);
        Assert.Equal(["MigrateA", "MigrateB"], found.Select(f => f.Type.Name));
        var b = (Migration)Activator.CreateInstance(found[1].Type)!;
        Assert.Equal(["MigrateA"], b.Dependencies);
        Assert.False(b.Transactional);
        Assert.False(b.HasDown);
        Assert.Equal("App.Db.MigrateB", found[1].Type.FullName);
    }

    [Fact]
    public void Compile_errors_name_file_line_and_column()
    {
        var e = Assert.Throws<SwapException>(() => CSharpScriptCompiler.Compile([
            ("/m/20260101000000_Broken.cs", "public sealed class MigrateBroken : Migration\n{\n    public override Task UpAsync(MigrationContext db) => db.ExecuteAsync(\"x\") +;\n}"),
        ]));
        Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
        Assert.StartsWith("C# migrations do not compile (", e.Message, StringComparison.Ordinal);
        Assert.Contains("/m/20260101000000_Broken.cs(3,", e.Message, StringComparison.Ordinal);
        Assert.Contains(": error CS", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_migration_without_UpAsync_gets_a_hint()
    {
        var e = Assert.Throws<SwapException>(() => CSharpScriptCompiler.Compile([
            ("/m/x.cs", "public sealed class MigrateNothing : Migration\n{\n}"),
        ]));
        Assert.Contains("/m/x.cs(1,21): error CS0534", e.Message, StringComparison.Ordinal);
        Assert.Contains("(a migration must override 'public override Task UpAsync(MigrationContext db)')", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FluentMigrator_habits_get_hints_saying_what_swap_takes_instead()
    {
        var e = Assert.Throws<SwapException>(() => CSharpScriptCompiler.Compile([
            ("/m/CreateShop.cs", "[Migration(20261201120000)]\npublic class CreateShop : Migration\n{\n    public override void Up()\n    {\n        Execute.Sql(\"CREATE TABLE x (id int)\");\n        Create.Table(\"y\");\n        undefinedThing();\n    }\n    public override void Down() { }\n}"),
        ]));
        var lines = e.Message.Split('\n');
        const string Doc = "see 'Coming from FluentMigrator or DbUp' in docs/writing-migrations.md";
        Assert.Contains("/m/CreateShop.cs(1,2): error CS0653: Cannot apply attribute class 'Migration' because it is abstract (Swap has no [Migration(version)] attribute: "
            + "a C# script's place in the order comes from its file name, such as 20261201120000_CreateShop.cs, and its id is its class name; " + Doc + ")", lines);
        Assert.Contains("/m/CreateShop.cs(4,26): error CS0115: 'CreateShop.Up()': no suitable method found to override (a Swap migration overrides "
            + "'public override async Task UpAsync(MigrationContext db)' and, to be revertible, 'DownAsync(MigrationContext db)')", lines);
        Assert.Contains("/m/CreateShop.cs(10,26): error CS0115: 'CreateShop.Down()': no suitable method found to override (a Swap migration overrides "
            + "'public override async Task UpAsync(MigrationContext db)' and, to be revertible, 'DownAsync(MigrationContext db)')", lines);
        Assert.Contains("/m/CreateShop.cs(6,9): error CS0103: The name 'Execute' does not exist in the current context (FluentMigrator's 'Execute' expressions have no "
            + "Swap counterpart: a script makes its changes through 'db', such as db.ExecuteAsync(sql), db.CreateTableAsync(...) or db.UseTableForAlterAsync(...); " + Doc + ")", lines);
        Assert.Contains("/m/CreateShop.cs(7,9): error CS0103: The name 'Create' does not exist in the current context (FluentMigrator's 'Create' expressions have no "
            + "Swap counterpart: a script makes its changes through 'db', such as db.ExecuteAsync(sql), db.CreateTableAsync(...) or db.UseTableForAlterAsync(...); " + Doc + ")", lines);
        // Any other unknown name is left as the compiler says it.
        Assert.Contains("/m/CreateShop.cs(8,9): error CS0103: The name 'undefinedThing' does not exist in the current context", lines);
    }

    [Fact]
    public void A_migration_needs_a_parameterless_constructor()
    {
        var e = Assert.Throws<SwapException>(() => CSharpScriptCompiler.Compile([
            ("/m/x.cs", "\npublic sealed class MigrateArgs(int n) : Migration\n{\n    public override Task UpAsync(MigrationContext db) => Task.FromResult(n);\n}"),
        ]));
        Assert.Equal("/m/x.cs(2): the migration MigrateArgs needs a public constructor without parameters.", e.Message);
    }

    [Fact]
    public void A_script_can_use_any_assembly_of_the_runtime_and_of_Swap()
    {
        // The references are the runtime's framework, the application's own assemblies and what the
        // process has loaded; other shared frameworks (ASP.NET Core in the swap command) are left out.
        var found = CSharpScriptCompiler.Compile([
            ("/m/20260101000000_Uses.cs", """
                using System.Data.Common;
                using System.Net.Http;
                using System.Text.Json;
                using System.Text.RegularExpressions;
                using System.Xml.Linq;
                public sealed class MigrateUses : Migration
                {
                    public static string Shape() =>
                        JsonSerializer.Serialize(new { a = Regex.Replace("x1", "[0-9]", "#") })
                        + new XElement("e", typeof(DbConnection).Name).ToString()
                        + typeof(HttpClient).Name + typeof(Microsoft.Extensions.Logging.ILogger).Name;
                    public override Task UpAsync(MigrationContext db) => Task.CompletedTask;
                }
                """),
        ], cacheFolder: null);
        var shape = (string)found[0].Type.GetMethod("Shape")!.Invoke(null, null)!;
        Assert.Equal("{\"a\":\"x#\"}<e>DbConnection</e>HttpClientILogger", shape);
    }
}
