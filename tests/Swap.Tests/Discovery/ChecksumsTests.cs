using Swap.Discovery;

namespace Swap.Tests.Discovery;

public class ChecksumsTests
{
    [Fact]
    public void Text_checksum_is_lowercase_sha256_and_stable()
    {
        var a = Checksums.Of("CREATE TABLE t (id INT);");
        Assert.Equal(a, Checksums.Of("CREATE TABLE t (id INT);"));
        Assert.Matches("^[0-9a-f]{64}$", a);
        // sha256("abc"), a published test vector.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Checksums.Of("abc"));
    }

    [Fact]
    public void Any_edit_changes_the_checksum_but_line_endings_do_not()
    {
        var original = Checksums.Of("SELECT 1;\nSELECT 2;\n");
        Assert.NotEqual(original, Checksums.Of("SELECT 1;\nSELECT 3;\n"));
        Assert.NotEqual(original, Checksums.Of("SELECT 1;\nSELECT 2; \n"));
        Assert.Equal(original, Checksums.Of("SELECT 1;\r\nSELECT 2;\r\n"));
    }

    [Fact]
    public void Compiled_class_checksum_is_stable_and_follows_the_code()
    {
        Assert.Equal(Checksums.OfType(typeof(SampleA)), Checksums.OfType(typeof(SampleA)));
        Assert.NotEqual(Checksums.OfType(typeof(SampleA)), Checksums.OfType(typeof(SampleB)));
    }

    [Fact]
    public void Recompiling_identical_source_gives_the_same_class_checksum()
    {
        const string source = "public sealed class MigrateX : Migration { public override Task UpAsync(MigrationContext db) => db.ExecuteAsync(\"SELECT 1\"); }";
        var one = Assert.Single(CSharpScriptCompiler.Compile([("/m/x.cs", source)]));
        var two = Assert.Single(CSharpScriptCompiler.Compile([("/m/x.cs", source)]));
        Assert.Equal(Checksums.OfType(one.Type), Checksums.OfType(two.Type));
        Assert.Equal(Checksums.Of(one.ClassText), Checksums.Of(two.ClassText));
        var edited = Assert.Single(CSharpScriptCompiler.Compile([("/m/x.cs", source.Replace("SELECT 1", "SELECT 2", StringComparison.Ordinal))]));
        Assert.NotEqual(Checksums.Of(one.ClassText), Checksums.Of(edited.ClassText));
    }

    private sealed class SampleA : Migration
    {
        public override Task UpAsync(MigrationContext db) => db.ExecuteAsync("SELECT 1");
    }

    private sealed class SampleB : Migration
    {
        public override Task UpAsync(MigrationContext db) => db.ExecuteAsync("SELECT 2");
    }
}
