using Swap.Discovery;

namespace Swap.Tests.Discovery;

public class CompiledScriptCacheTests
{
    private static (string, string)[] Files(string marker) =>
    [
        ("/m/20260101000000_A.cs", "public sealed class MigrateA : Migration { public override Task UpAsync(MigrationContext db) => Task.CompletedTask; } // " + marker),
        ("/m/20260102000000_B.cs", "public sealed class MigrateB : Migration { public MigrateB() => ExecuteAfter<MigrateA>(); public override Task UpAsync(MigrationContext db) => Task.CompletedTask; }"),
    ];

    [Fact]
    public void A_compilation_is_stored_under_its_key_and_loads_back_without_the_compiler()
    {
        using var cache = new TempFolder();
        var files = Files("v1");
        var compiled = CSharpScriptCompiler.Compile(files, cache.Path);
        var key = CompiledScriptCache.Key(files);
        Assert.Equal([key + ".dll", key + ".json"], Directory.GetFiles(cache.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var loaded = CompiledScriptCache.TryLoad(cache.Path, key)!;
        Assert.Equal(compiled.Select(c => (c.Type.FullName, c.Path, c.ClassText)), loaded.Select(c => (c.Type.FullName, c.Path, c.ClassText)));
        Assert.NotSame(compiled[0].Type.Assembly, loaded[0].Type.Assembly);
        var b = (Migration)Activator.CreateInstance(loaded[1].Type)!;
        Assert.Equal(["MigrateA"], b.Dependencies);
    }

    [Fact]
    public void An_entry_under_the_key_is_used_instead_of_compiling()
    {
        using var cache = new TempFolder();
        using var other = new TempFolder();
        // The entry stored under v1's key holds v2's compilation: what comes back proves no recompiling.
        var v2 = Files("v2");
        CSharpScriptCompiler.Compile(v2, other.Path);
        var v1Key = CompiledScriptCache.Key(Files("v1"));
        File.Copy(Path.Combine(other.Path, CompiledScriptCache.Key(v2) + ".dll"), Path.Combine(cache.Path, v1Key + ".dll"));
        File.Copy(Path.Combine(other.Path, CompiledScriptCache.Key(v2) + ".json"), Path.Combine(cache.Path, v1Key + ".json"));

        var found = CSharpScriptCompiler.Compile(Files("v1"), cache.Path);
        Assert.EndsWith("// v2", found[0].ClassText, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_change_to_a_source_path_or_text_or_the_set_of_files_is_a_new_key()
    {
        var files = Files("v1");
        var key = CompiledScriptCache.Key(files);
        Assert.Equal(key, CompiledScriptCache.Key(Files("v1")));
        Assert.NotEqual(key, CompiledScriptCache.Key(Files("v1 ")));
        Assert.NotEqual(key, CompiledScriptCache.Key([(files[0].Item1 + "x", files[0].Item2), files[1]]));
        Assert.NotEqual(key, CompiledScriptCache.Key([files[0]]));
        Assert.NotEqual(key, CompiledScriptCache.Key([.. files, ("/m/c.cs", "")]));
        Assert.Matches("^[0-9a-f]{64}$", key);
    }

    [Fact]
    public void A_broken_entry_is_ignored_and_the_scripts_compile()
    {
        using var cache = new TempFolder();
        var files = Files("broken-entry");
        var key = CompiledScriptCache.Key(files);
        File.WriteAllText(Path.Combine(cache.Path, key + ".dll"), "not an assembly");
        File.WriteAllText(Path.Combine(cache.Path, key + ".json"), "[]");
        Assert.Null(CompiledScriptCache.TryLoad(cache.Path, key));

        var found = CSharpScriptCompiler.Compile(files, cache.Path);
        Assert.Equal(["MigrateA", "MigrateB"], found.Select(f => f.Type.Name));
        Assert.NotNull(CompiledScriptCache.TryLoad(cache.Path, key));
    }
}
