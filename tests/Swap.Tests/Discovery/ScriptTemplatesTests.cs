using Swap.Discovery;

namespace Swap.Tests.Discovery;

public class ScriptTemplatesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 8, 30, 5, TimeSpan.Zero);

    [Fact]
    public void A_sql_stub_is_named_with_a_utc_timestamp_and_snake_case_title()
    {
        using var temp = new TempFolder();
        var path = ScriptTemplates.Create(temp.Path, "Add user roles!", ScriptKind.Sql, null, Now.ToOffset(TimeSpan.FromHours(2)));
        Assert.Equal(Path.Combine(temp.Path, "20261121083005_add_user_roles.sql"), path);
        var text = File.ReadAllText(path);
        Assert.StartsWith("-- Add user roles!\n", text, StringComparison.Ordinal);
        Assert.Contains("\n-- swap:down\n", text, StringComparison.Ordinal);
        // The stub parses as a script (its up section is comments only, so it asks to be filled in).
        var e = Assert.Throws<SwapException>(() => SqlScript.Parse(path, text));
        Assert.Contains("has no statements in its up section", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_csharp_stub_is_a_migration_class_named_after_the_title()
    {
        using var temp = new TempFolder();
        var path = ScriptTemplates.Create(temp.Path, "add user roles", ScriptKind.CSharp, null, Now);
        Assert.Equal("20261121083005_AddUserRoles.cs", Path.GetFileName(path));
        var text = File.ReadAllText(path);
        Assert.Contains("public sealed class MigrateAddUserRoles : Migration", text, StringComparison.Ordinal);
        Assert.Contains("public override async Task UpAsync(MigrationContext db)", text, StringComparison.Ordinal);
        var compiled = Assert.Single(CSharpScriptCompiler.Compile([(path, text)]));
        Assert.Equal("MigrateAddUserRoles", compiled.Type.Name);
    }

    [Theory]
    [InlineData("Migrate old data", "MigrateOldData")]
    [InlineData("2fa codes", "Migrate2faCodes")]
    public void Class_names_start_with_Migrate_exactly_once(string title, string className)
    {
        using var temp = new TempFolder();
        var text = File.ReadAllText(ScriptTemplates.Create(temp.Path, title, ScriptKind.CSharp, null, Now));
        Assert.Contains($"public sealed class {className} : Migration", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_group_gets_todays_date_and_an_existing_group_is_reused()
    {
        using var temp = new TempFolder();
        var first = ScriptTemplates.Create(temp.Path, "a", ScriptKind.Sql, "User Roles", Now);
        Assert.Equal(Path.Combine(temp.Path, "2026-11-21-user-roles", "20261121083005_a.sql"), first);
        var later = ScriptTemplates.Create(temp.Path, "b", ScriptKind.Sql, "user-roles", Now.AddDays(3));
        Assert.Equal(Path.Combine(temp.Path, "2026-11-21-user-roles", "20261124083005_b.sql"), later);
        var explicitGroup = ScriptTemplates.Create(temp.Path, "c", ScriptKind.Sql, "2025-01-02-legacy", Now);
        Assert.Equal(Path.Combine(temp.Path, "2025-01-02-legacy", "20261121083005_c.sql"), explicitGroup);
    }

    [Fact]
    public void Titles_without_letters_and_existing_files_are_usage_errors()
    {
        using var temp = new TempFolder();
        Assert.Equal(SwapErrorKind.Usage, Assert.Throws<SwapException>(() => ScriptTemplates.Create(temp.Path, "!!!", ScriptKind.Sql, null, Now)).Kind);
        ScriptTemplates.Create(temp.Path, "same", ScriptKind.Sql, null, Now);
        var e = Assert.Throws<SwapException>(() => ScriptTemplates.Create(temp.Path, "same", ScriptKind.Sql, null, Now));
        Assert.Equal(SwapErrorKind.Usage, e.Kind);
        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
    }
}
