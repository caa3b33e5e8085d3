using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

/// <summary>Migrations from a compiled assembly, as a .NET team ships them: <c>swap up --assembly Migrations.dll</c>.</summary>
public class AssemblySourceTests
{
    [Fact]
    public async Task Scripts_in_a_compiled_assembly_apply_in_dependency_order_and_status_knows_their_checksums()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        var dll = Compile(target.Folder, "Shop.Migrations", """
            using System.Threading.Tasks;
            using Swap;
            namespace Shop.Migrations;
            public sealed class MigrateCreateOrders : Migration
            {
                public override Task UpAsync(MigrationContext db) => db.ExecuteAsync("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL NOT NULL)");
                public override Task DownAsync(MigrationContext db) => db.ExecuteAsync("DROP TABLE orders");
            }
            public sealed class MigrateSeedOrders : Migration
            {
                public MigrateSeedOrders() => ExecuteAfter<MigrateCreateOrders>();
                public override Task UpAsync(MigrationContext db) => db.ExecuteAsync("INSERT INTO orders (id, total) VALUES (@id, @total)", new { id = 1, total = 9.5 });
            }
            """);

        var up = await SwapCli.RunRawAsync(target.Folder, ["--db", target.UrlText, "--assembly", dll, "up"]);
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(["MigrateCreateOrders", "MigrateSeedOrders"], await target.HistoryIdsAsync());
        Assert.Equal(["9.5"], await target.ColumnAsync("SELECT total FROM orders"));

        var status = await SwapCli.RunRawAsync(target.Folder, ["--db", target.UrlText, "--assembly", dll, "validate"]);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("Valid", status.Out, StringComparison.Ordinal);

        var missing = await SwapCli.RunRawAsync(target.Folder, ["--db", target.UrlText, "--assembly", Path.Combine(target.Folder, "nope.dll"), "status"]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist. Build it, or fix the path in --assembly", missing.Err, StringComparison.Ordinal);
    }

    private static string Compile(string folder, string name, string code)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(Migration).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(code)], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var path = Path.Combine(folder, name + ".dll");
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return path;
    }
}
