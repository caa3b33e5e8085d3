using Swap.Discovery;

namespace Swap.Tests.Discovery;

public class FolderScannerTests
{
    private static (List<FolderScanner.SqlFile> Sql, List<FolderScanner.CsFile> CSharp) Scan(string path, string? module = null) =>
        FolderScanner.Scan(new FolderSource(path, module));

    [Fact]
    public void A_module_folder_holding_migrations_is_named_after_the_module()
    {
        using var temp = new TempFolder();
        temp.Write("billing/migrations/20260101000000_create_invoices.sql");
        temp.Write("billing/migrations/20260102000000_Fill.cs", "// c#");
        temp.Write("billing/migrations/README.md", "ignored");
        var (sql, cs) = Scan(Path.Combine(temp.Path, "billing"));
        var file = Assert.Single(sql);
        Assert.Equal(("billing", null, "20260101000000_create_invoices"), (file.Module, file.Group, file.Stem));
        Assert.Null(file.DownPath);
        Assert.Equal("billing", Assert.Single(cs).Module);
    }

    [Fact]
    public void A_folder_called_migrations_takes_its_parent_as_module_unless_one_is_given()
    {
        using var temp = new TempFolder();
        temp.Write("shop/migrations/20260101000000_a.sql");
        Assert.Equal("shop", Assert.Single(Scan(Path.Combine(temp.Path, "shop", "migrations")).Sql).Module);
        Assert.Equal("orders", Assert.Single(Scan(Path.Combine(temp.Path, "shop", "migrations"), "orders").Sql).Module);
    }

    [Fact]
    public void Up_and_down_files_pair_by_stem()
    {
        using var temp = new TempFolder();
        var up = temp.Write("migrations/20260101000000_a.up.sql");
        var down = temp.Write("migrations/20260101000000_a.down.sql");
        var file = Assert.Single(Scan(temp.Path).Sql);
        Assert.Equal(("20260101000000_a", up, down), (file.Stem, file.UpPath, file.DownPath));
    }

    [Fact]
    public void Group_folders_hold_scripts_without_timestamps_and_hidden_or_build_folders_are_skipped()
    {
        using var temp = new TempFolder();
        temp.Write("migrations/2026-03-01-user-roles/add_roles.sql");
        temp.Write("migrations/2026-03-01-user-roles/FillRoles.cs", "// c#");
        temp.Write("migrations/.git/x.sql");
        temp.Write("migrations/bin/x.sql");
        temp.Write("migrations/obj/x.sql");
        var (sql, cs) = Scan(temp.Path);
        var file = Assert.Single(sql);
        Assert.Equal(("2026-03-01-user-roles", "add_roles"), (file.Group, file.Stem));
        Assert.Equal("2026-03-01-user-roles", Assert.Single(cs).Group);
    }

    [Theory]
    [InlineData("migrations/create_users.sql", "is not named <timestamp>_<name>.sql")]
    [InlineData("migrations/20260101.sql", "is not named <timestamp>_<name>.sql")]
    [InlineData("migrations/helpers/x.sql", "is not a migration group: group folders are named YYYY-MM-DD-name")]
    [InlineData("migrations/2026-13-01-bad-month/x.sql", "is not a migration group")]
    [InlineData("migrations/20260101000000_a.down.sql", "has no matching up script 20260101000000_a.up.sql")]
    public void Misnamed_files_and_folders_are_refused_naming_the_path(string relative, string message)
    {
        using var temp = new TempFolder();
        var path = temp.Write(relative);
        var e = Assert.Throws<SwapException>(() => Scan(temp.Path));
        Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains(relative.Contains("helpers", StringComparison.Ordinal) || relative.Contains("bad-month", StringComparison.Ordinal) ? Path.GetDirectoryName(path)! : path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_script_and_an_up_file_with_the_same_stem_are_refused()
    {
        using var temp = new TempFolder();
        temp.Write("migrations/20260101000000_a.sql");
        temp.Write("migrations/20260101000000_a.up.sql");
        var e = Assert.Throws<SwapException>(() => Scan(temp.Path));
        Assert.Contains("both define the script 20260101000000_a. Keep one.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_is_a_usage_error()
    {
        var e = Assert.Throws<SwapException>(() => Scan("/nonexistent/swap/folder"));
        Assert.Equal(SwapErrorKind.Usage, e.Kind);
        Assert.Contains("The migrations folder '/nonexistent/swap/folder' does not exist", e.Message, StringComparison.Ordinal);
    }
}
