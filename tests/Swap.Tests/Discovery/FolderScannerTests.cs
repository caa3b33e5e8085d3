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

    [Theory]
    [InlineData("0001 - create users.sql", "0001_create_users.sql")]
    [InlineData("Script0002.sql", "0002_script.sql")]
    [InlineData("0003-Add Orders (v2).sql", "0003_add_orders_v2.sql")]
    [InlineData("2026-12-06-0001-add-index.sql", "202612060001_add_index.sql")]
    [InlineData("2026-12-06 add index.sql", "20261206_add_index.sql")]
    public void A_numbered_or_dated_script_named_as_dbup_or_a_group_folder_names_them_is_refused_with_the_name_to_give_it(string name, string suggested)
    {
        using var temp = new TempFolder();
        var path = temp.Write("migrations/" + name);
        var e = Assert.Throws<SwapException>(() => Scan(temp.Path));
        Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
        Assert.Equal(
            $"'{path}' is not named <timestamp>_<name>.sql (for example 20261121083000_create_users.sql, or a .up.sql/.down.sql pair). "
            + $"Rename it to '{suggested}' (a number or a timestamp, an underscore, a name: numbered scripts such as DbUp's keep their order), "
            + "or run 'swap create' to make a correctly named script.",
            e.Message);
        // The suggested name is one the scanner reads.
        File.Move(path, Path.Combine(Path.GetDirectoryName(path)!, suggested));
        Assert.Equal(suggested[..^4], Assert.Single(Scan(temp.Path).Sql).Stem);
    }

    [Fact]
    public void Every_misnamed_script_of_a_folder_is_refused_in_one_error_with_the_name_to_give_each()
    {
        using var temp = new TempFolder();
        temp.Write("migrations/0001 - create users.sql");
        temp.Write("migrations/Script0002.sql");
        temp.Write("migrations/0003 - add roles.sql");
        temp.Write("migrations/seed_users.sql");
        temp.Write("migrations/20260101000000_fine.sql");
        var e = Assert.Throws<SwapException>(() => Scan(temp.Path));
        Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
        Assert.Equal(
            $"4 files in '{Path.Combine(temp.Path, "migrations")}' are not named <timestamp>_<name>.sql (for example 20261121083000_create_users.sql, or a .up.sql/.down.sql pair). "
            + "Rename each as shown (a number or a timestamp, an underscore, a name: numbered scripts such as DbUp's keep their order), and give the others a timestamp and a name, "
            + "or run 'swap create' to make correctly named scripts:\n"
            + "  '0001 - create users.sql' -> '0001_create_users.sql'\n"
            + "  '0003 - add roles.sql' -> '0003_add_roles.sql'\n"
            + "  'Script0002.sql' -> '0002_script.sql'\n"
            + "  'seed_users.sql'",
            e.Message);
    }

    [Fact]
    public void A_hundred_misnamed_scripts_are_all_named_one_a_line()
    {
        using var temp = new TempFolder();
        for (var i = 1; i <= 100; i++)
            temp.Write($"migrations/{i:0000} - step {i}.sql");
        var e = Assert.Throws<SwapException>(() => Scan(temp.Path));
        var lines = e.Message.Split('\n');
        Assert.Equal(101, lines.Length);
        Assert.StartsWith("100 files in ", lines[0], StringComparison.Ordinal);
        Assert.Equal("  '0001 - step 1.sql' -> '0001_step_1.sql'", lines[1]);
        Assert.Equal("  '0100 - step 100.sql' -> '0100_step_100.sql'", lines[100]);
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
    public void Flyway_versioned_names_are_read_at_the_top_with_their_version_and_undo_files_as_their_downs()
    {
        using var temp = new TempFolder();
        temp.Write("migrations/V1__init.sql");
        var b = temp.Write("migrations/V1.1__add_users.sql");
        var undo = temp.Write("migrations/U1.1__add_users.sql");
        temp.Write("migrations/V2_1__fill.sql");
        temp.Write("migrations/V20261121083000__orders.sql");
        var up = temp.Write("migrations/V3__pair.up.sql");
        var down = temp.Write("migrations/V3__pair.down.sql");
        var dotted = temp.Write("migrations/V4__add.users.sql");
        var dottedUndo = temp.Write("migrations/U4__drop.users.sql");
        temp.Write("migrations/20261122000000_create_roles.sql");

        var files = Scan(temp.Path).Sql.ToDictionary(f => f.Stem);

        Assert.Equal(["20261122000000_create_roles", "V1.1__add_users", "V1__init", "V20261121083000__orders", "V2_1__fill", "V3__pair", "V4__add.users"], files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((dotted, dottedUndo, "4"), (files["V4__add.users"].UpPath, files["V4__add.users"].DownPath, files["V4__add.users"].Version?.ToString()));
        Assert.Equal((b, undo, "1.1"), (files["V1.1__add_users"].UpPath, files["V1.1__add_users"].DownPath, files["V1.1__add_users"].Version?.ToString()));
        Assert.Equal((up, down, "3"), (files["V3__pair"].UpPath, files["V3__pair"].DownPath, files["V3__pair"].Version?.ToString()));
        Assert.Equal("2.1", files["V2_1__fill"].Version?.ToString());
        Assert.Null(files["V1__init"].DownPath);
        Assert.Equal(new DateOnly(2026, 11, 21), files["V20261121083000__orders"].Version?.Date);
        Assert.Null(files["V2_1__fill"].Version?.Date);
        Assert.Null(files["20261122000000_create_roles"].Version);
    }

    [Fact]
    public void An_undo_file_pairs_with_the_versioned_script_of_the_same_version_whatever_its_description()
    {
        using var temp = new TempFolder();
        temp.Write("migrations/V2_1__fill.sql");
        var undo = temp.Write("migrations/U2.1__unfill.sql");
        Assert.Equal(undo, Assert.Single(Scan(temp.Path).Sql).DownPath);
    }

    [Fact]
    public void In_a_group_folder_a_flyway_name_is_a_name_like_any_other()
    {
        using var temp = new TempFolder();
        temp.Write("migrations/2026-03-01-roles/V1__a.sql");
        temp.Write("migrations/2026-03-01-roles/R__b.sql");
        var files = Scan(temp.Path).Sql;
        Assert.Equal(["R__b", "V1__a"], files.Select(f => f.Stem).Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.Null(f.Version));
    }

    [Fact]
    public void Equal_versions_in_two_modules_are_allowed_and_run_in_the_order_of_their_ids()
    {
        using var temp = new TempFolder();
        temp.Write("users/migrations/V1__users.sql");
        temp.Write("users/migrations/V2__users_more.sql");
        temp.Write("billing/migrations/V1.0__billing.sql");
        temp.Write("billing/migrations/V1.1__billing_more.sql");
        var catalog = MigrationCatalog.Load([new FolderSource(Path.Combine(temp.Path, "users"), null), new FolderSource(Path.Combine(temp.Path, "billing"), null)]);
        Assert.Equal(
            [("V1.0__billing", "billing"), ("V1__users", "users"), ("V1.1__billing_more", "billing"), ("V2__users_more", "users")],
            catalog.Scripts.Select(s => (s.Id, s.Module)));
    }

    [Fact]
    public void Two_versioned_scripts_with_the_same_version_are_refused_naming_both()
    {
        using var temp = new TempFolder();
        var a = temp.Write("migrations/V1.1__b.sql");
        var b = temp.Write("migrations/V1_1__c.sql");
        var e = Assert.Throws<SwapException>(() => Scan(temp.Path));
        Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
        Assert.Equal($"'{a}' and '{b}' both have version 1.1 (versions compare by number: V1.1 and V1_1 are the same, and so are V1 and V1.0); Flyway refuses this too. Give one of them another version.", e.Message);
    }

    [Fact]
    public void A_version_with_trailing_zero_parts_is_the_same_version()
    {
        using var temp = new TempFolder();
        var a = temp.Write("migrations/V1.0__b.sql");
        var b = temp.Write("migrations/V1__a.sql");
        var e = Assert.Throws<SwapException>(() => Scan(temp.Path));
        Assert.StartsWith($"'{a}' and '{b}' both have version 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undo_file_without_its_versioned_script_is_refused_like_an_orphan_down_file()
    {
        using var temp = new TempFolder();
        temp.Write("migrations/V1__init.sql");
        var undo = temp.Write("migrations/U2__drop.sql");
        var e = Assert.Throws<SwapException>(() => Scan(temp.Path));
        Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
        Assert.Equal($"'{undo}' is a Flyway undo script for version 2, but '{Path.Combine(temp.Path, "migrations")}' has no versioned script V2__<description>.sql. Add it, or delete the undo file.", e.Message);
    }

    [Fact]
    public void An_undo_file_next_to_a_down_file_or_another_undo_file_is_refused()
    {
        using var temp = new TempFolder();
        temp.Write("migrations/V1__a.up.sql");
        var down = temp.Write("migrations/V1__a.down.sql");
        var undo = temp.Write("migrations/U1__a.sql");
        var e = Assert.Throws<SwapException>(() => Scan(temp.Path));
        Assert.Equal($"'{down}' and '{undo}' both undo V1__a. Keep one.", e.Message);

        File.Delete(down);
        var other = temp.Write("migrations/U1.0__b.sql");
        e = Assert.Throws<SwapException>(() => Scan(temp.Path));
        Assert.Equal($"'{other}' and '{undo}' both undo V1__a (version 1). Keep one.", e.Message);
    }

    [Fact]
    public void A_flyway_repeatable_script_is_refused_saying_what_to_do()
    {
        using var temp = new TempFolder();
        var file = temp.Write("migrations/R__views.sql");
        var e = Assert.Throws<SwapException>(() => Scan(temp.Path));
        Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
        Assert.Equal(
            $"'{file}' is a Flyway repeatable script (R__<description>.sql), and Swap has no repeatable scripts: every script runs once. " +
            "Make what it creates a versioned script (rename it to V<version>__<description>.sql or <timestamp>_<name>.sql, and write a new script for each later change), or move it out of the migrations folder.",
            e.Message);
    }

    [Theory]
    [InlineData("v1__init.sql", "starts with a lower-case 'v': Flyway reads only an upper-case prefix and skips this file without running it, so Swap does not guess. Rename it to V1__init.sql if it is to run, or move it out of the migrations folder.")]
    [InlineData("u1__init.sql", "starts with a lower-case 'u': Flyway reads only an upper-case prefix and skips this file without running it, so Swap does not guess. Rename it to U1__init.sql if it is to run")]
    [InlineData("V1_init.sql", "is not named V<version>__<description>.sql: a Flyway-style name is V (or U for its undo), a version of digits separated by . or _, two underscores and a description (for example V1__init.sql, V1.1__add_users.sql, U1.1__add_users.sql). Rename it, or run 'swap create' to make a correctly named script.")]
    [InlineData("V1.1.sql", "is not named V<version>__<description>.sql")]
    [InlineData("V1__.sql", "is not named V<version>__<description>.sql")]
    [InlineData("U1_a.sql", "is not named V<version>__<description>.sql")]
    [InlineData("Va__x.sql", "is not named <timestamp>_<name>.sql")]
    [InlineData("B5__baseline.sql", "is a Flyway baseline migration (B<version>__<description>.sql), which Flyway runs on a new database in place of the versions up to it. Swap has none: a new database runs every versioned script. Move it out of the migrations folder; the versioned scripts make the same schema.")]
    [InlineData("beforeEachMigrate.sql", "is a Flyway callback; Swap's callback for that event is beforeEach.sql, one file without a description. Rename it to beforeEach.sql (merging it with any other for that event), or move it out of the migrations folder.")]
    [InlineData("afterEachMigrate__audit.sql", "is a Flyway callback; Swap's callback for that event is afterEach.sql, one file without a description. Rename it to afterEach.sql")]
    [InlineData("beforeMigrate__warm_up.sql", "is a Flyway callback; Swap's callback for that event is beforeMigrate.sql, one file without a description.")]
    public void Names_flyway_would_not_read_as_versioned_are_refused(string name, string message)
    {
        using var temp = new TempFolder();
        var path = temp.Write("migrations/" + name);
        var e = Assert.Throws<SwapException>(() => Scan(temp.Path));
        Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
        Assert.StartsWith($"'{path}' ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_is_a_usage_error()
    {
        var e = Assert.Throws<SwapException>(() => Scan("/nonexistent/swap/folder"));
        Assert.Equal(SwapErrorKind.Usage, e.Kind);
        Assert.Contains("The migrations folder '/nonexistent/swap/folder' does not exist", e.Message, StringComparison.Ordinal);
    }
}
