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
        // Its down section holds only comments: that is no down, and the stub says so.
        Assert.Contains("'swap down' refuses to revert it (exit 7)", text, StringComparison.Ordinal);
        var filled = SqlScript.Parse(path, "SELECT 1;\n" + text);
        Assert.False(filled.HasDownStatements);
        Assert.True(filled.HasEmptyDown);
        // The stub loads (other verbs keep working while it is written); running it asks for it to be filled in.
        var stub = SqlScript.Parse(path, text);
        Assert.False(stub.HasUpStatements);
        Assert.True(filled.HasUpStatements);
        Assert.StartsWith($"{path}(1): the SQL migration 20261121083005_add_user_roles has no statements in its up section yet", stub.EmptyUpError("20261121083005_add_user_roles").Message, StringComparison.Ordinal);
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
        // No DownAsync until one is written: 'swap down' refuses it instead of "reverting" nothing.
        Assert.False(((Migration)Activator.CreateInstance(compiled.Type)!).HasDown);
        Assert.Contains("// Without DownAsync the script has no down, and 'swap down' refuses to revert it (exit 7).", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ajouter les rôles", "20261121083005_ajouter_les_rôles.sql", "20261121083005_AjouterLesRôles.cs", "MigrateAjouterLesRôles")]
    [InlineData("Größe ändern", "20261121083005_größe_ändern.sql", "20261121083005_GrößeÄndern.cs", "MigrateGrößeÄndern")]
    [InlineData("Cafe\u0301 menu", "20261121083005_café_menu.sql", "20261121083005_CaféMenu.cs", "MigrateCaféMenu")]
    public void Titles_keep_their_non_ascii_letters(string title, string sqlFile, string csFile, string className)
    {
        using var temp = new TempFolder();
        Assert.Equal(sqlFile, Path.GetFileName(ScriptTemplates.Create(temp.Path, title, ScriptKind.Sql, null, Now)));
        var cs = ScriptTemplates.Create(temp.Path, title, ScriptKind.CSharp, null, Now);
        Assert.Equal(csFile, Path.GetFileName(cs));
        Assert.Equal(className, Assert.Single(CSharpScriptCompiler.Compile([(cs, File.ReadAllText(cs))])).Type.Name);
    }

    [Theory]
    [InlineData("SELECT 1;\n-- swap:down\n-- only a comment\n/* and a block\n comment */\n", false, true)]
    [InlineData("SELECT 1;\n-- swap:down\nDROP TABLE t;\n", true, false)]
    [InlineData("SELECT 1;\n", false, false)]
    public void A_down_section_with_only_comments_is_no_down(string text, bool hasDown, bool emptyDown)
    {
        var script = SqlScript.Parse("x.sql", text);
        Assert.Equal(hasDown, script.HasDownStatements);
        Assert.Equal(emptyDown, script.HasEmptyDown);
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

    [Theory]
    [InlineData(ScriptKind.Sql, 237)]      // 20261121083005_ + 237 letters + .sql: 256 bytes
    [InlineData(ScriptKind.CSharp, 238)]   // 20261121083005_ + 238 letters + .cs: 256 bytes
    public void A_title_too_long_for_a_file_name_is_a_usage_error_and_writes_nothing(ScriptKind kind, int letters)
    {
        using var temp = new TempFolder();
        var folder = Path.Combine(temp.Path, "migrations");
        var e = Assert.Throws<SwapException>(() => ScriptTemplates.Create(folder, new string('x', letters), kind, "long titles", Now));
        Assert.Equal(SwapErrorKind.Usage, e.Kind);
        Assert.Equal($"The title '{new string('x', 40)}...' is too long: the script's file name would be 256 bytes, and a file name can have at most 255. Use a shorter title; nothing was written.", e.Message);
        Assert.False(Directory.Exists(folder));
        // One letter fewer fits.
        Assert.Equal(255, Path.GetFileName(ScriptTemplates.Create(folder, new string('x', letters - 1), kind, null, Now)).Length);
    }

    [Fact]
    public void A_sql_pair_whose_down_file_name_would_be_too_long_is_a_usage_error_and_writes_nothing()
    {
        using var temp = new TempFolder();
        var e = Assert.Throws<SwapException>(() => ScriptTemplates.CreateSqlPair(temp.Path, new string('y', 232), Now, "SELECT 1;", "SELECT 2;"));
        Assert.Equal(SwapErrorKind.Usage, e.Kind);
        Assert.Contains("the script's file name would be 256 bytes", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }
}
