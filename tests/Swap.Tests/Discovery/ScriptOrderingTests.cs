using Swap.Discovery;

namespace Swap.Tests.Discovery;

public class ScriptOrderingTests
{
    private static MigrationScript Sql(string id, string? group = null, params string[] after) =>
        new(id, "app", group, ScriptKind.Sql, "0")
        {
            Source = (group is null ? "" : group + "/") + id + ".sql",
            OrderName = id,
            Dependencies = after,
        };

    /// <summary>A Flyway-named script, <c>V1.1__name</c>, as the scanner gives it.</summary>
    private static MigrationScript V(string id, params string[] after) =>
        new(id, "app", null, ScriptKind.Sql, "0")
        {
            Source = id + ".sql",
            OrderName = id,
            Version = ScriptVersion.Parse(id[1..id.IndexOf("__", StringComparison.Ordinal)]),
            Dependencies = after,
        };

    private static string[] Order(params MigrationScript[] scripts) =>
        ScriptOrdering.Order(scripts).Select(s => s.Id).ToArray();

    [Fact]
    public void Timestamped_scripts_run_in_name_order()
    {
        Assert.Equal(
            ["20260101000000_a", "20260101000001_b", "20260305000000_c"],
            Order(Sql("20260305000000_c"), Sql("20260101000001_b"), Sql("20260101000000_a")));
    }

    [Fact]
    public void Group_date_orders_before_names_inside_the_group()
    {
        // Scripts of a group take the group's date; names inside a group need no timestamp.
        var order = Order(
            Sql("20260310000000_late"),
            Sql("z_first_in_group", "2026-03-01-roles"),
            Sql("a_second_group", "2026-03-02-billing"),
            Sql("20260228000000_early"),
            Sql("b_in_group", "2026-03-01-roles"));
        Assert.Equal(["20260228000000_early", "b_in_group", "z_first_in_group", "a_second_group", "20260310000000_late"], order);
    }

    [Fact]
    public void Same_date_ties_break_on_group_then_name()
    {
        var order = Order(Sql("b", "2026-03-01-zeta"), Sql("a", "2026-03-01-zeta"), Sql("c", "2026-03-01-alpha"));
        Assert.Equal(["c", "a", "b"], order);
    }

    [Fact]
    public void A_dependency_moves_a_script_after_one_that_would_sort_later()
    {
        var order = Order(
            Sql("20260101000000_uses_roles", null, "20260201000000_roles"),
            Sql("20260201000000_roles"),
            Sql("20260301000000_other"));
        Assert.Equal(["20260201000000_roles", "20260101000000_uses_roles", "20260301000000_other"], order);
    }

    [Fact]
    public void Scripts_without_a_date_run_first_in_name_order()
    {
        var order = Order(Sql("20260101000000_dated"), Sql("MigrateB"), Sql("MigrateA"));
        Assert.Equal(["MigrateA", "MigrateB", "20260101000000_dated"], order);
    }

    [Fact]
    public void Flyway_versions_run_in_numeric_order_part_by_part()
    {
        var order = Order(V("V1.10__j"), V("V2__k"), V("V1.9__i"), V("V1.1__b"), V("V1__a"), V("V10__z"), V("V1_2__c"), V("V01.11__l"));
        Assert.Equal(["V1__a", "V1.1__b", "V1_2__c", "V1.9__i", "V1.10__j", "V01.11__l", "V2__k", "V10__z"], order);
    }

    [Fact]
    public void Versions_longer_than_any_integer_type_still_compare_by_number()
    {
        var order = Order(V("V123456789012345678901234567891__b"), V("V99999999999999999999999999999__a"));
        Assert.Equal(["V99999999999999999999999999999__a", "V123456789012345678901234567891__b"], order);
    }

    [Fact]
    public void Undated_versions_run_first_then_other_undated_scripts_then_dated_ones_where_a_dated_version_takes_its_date()
    {
        var order = Order(
            Sql("20261122000000_after"),
            V("V20261121083000__dated_version"),
            Sql("20261121090000_same_day"),
            Sql("20261120000000_before"),
            Sql("MigrateUndated"),
            V("V2__b"),
            Sql("z_in_group", "2026-11-21-roles"),
            V("V1__a"));
        Assert.Equal(["V1__a", "V2__b", "MigrateUndated", "20261120000000_before", "V20261121083000__dated_version", "20261121090000_same_day", "z_in_group", "20261122000000_after"], order);
    }

    [Theory]
    [InlineData("1.1", "1_1", 0)]
    [InlineData("1", "1.0.0", 0)]
    [InlineData("007", "7", 0)]
    [InlineData("1.9", "1.10", -1)]
    [InlineData("1", "1.1", -1)]
    [InlineData("2", "1.99", 1)]
    public void Versions_compare_as_flyway_compares_them(string a, string b, int expected)
    {
        var (x, y) = (ScriptVersion.Parse(a), ScriptVersion.Parse(b));
        Assert.Equal(expected, Math.Sign(x.CompareTo(y)));
        Assert.Equal(-expected, Math.Sign(y.CompareTo(x)));
        Assert.Equal(expected == 0, x.Equals(y));
        if (expected == 0)
            Assert.Equal(x.GetHashCode(), y.GetHashCode());
    }

    [Theory]
    [InlineData("20261121083000", "2026-11-21")]
    [InlineData("20261121.2", "2026-11-21")]
    [InlineData("20261121_083000", "2026-11-21")]
    [InlineData("20261321", null)]
    [InlineData("2026112", null)]
    [InlineData("2026.11.21", null)]
    [InlineData("1", null)]
    public void A_version_of_eight_digits_or_more_that_starts_with_a_date_takes_that_date(string version, string? date)
    {
        Assert.Equal(date is null ? null : DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), ScriptVersion.Parse(version).Date);
    }

    [Fact]
    public void An_unknown_dependency_names_the_script_its_file_and_the_missing_id()
    {
        var e = Assert.Throws<SwapException>(() => Order(Sql("20260101000000_a"), Sql("20260102000000_b", null, "20260101000000_typo")));
        Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
        Assert.Equal("20260102000000_b", e.ScriptId);
        Assert.StartsWith("20260102000000_b (20260102000000_b.sql) runs after '20260101000000_typo', but no migration has that id.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dependency_that_differs_only_in_letter_case_names_the_id_meant()
    {
        var e = Assert.Throws<SwapException>(() => Order(Sql("MigrateB"), Sql("20260102000000_a", null, "migrateb")));
        Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
        Assert.Equal("20260102000000_a (20260102000000_a.sql) runs after 'migrateb', but no migration has that id. Dependencies name ids exactly, letter case included: write 'MigrateB' in ExecuteAfter / -- swap:after.", e.Message);
    }

    [Fact]
    public void A_cycle_names_every_script_in_it_and_leaves_others_out()
    {
        var e = Assert.Throws<SwapException>(() => Order(
            Sql("a", null, "c"),
            Sql("b", null, "a"),
            Sql("c", null, "b"),
            Sql("free"),
            Sql("d", null, "free")));
        Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
        Assert.Contains("in a cycle: a -> b -> c -> a", e.Message, StringComparison.Ordinal);
        Assert.Contains("Scripts involved: a (a.sql), b (b.sql), c (c.sql).", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("free", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_script_depending_on_itself_is_refused()
    {
        var e = Assert.Throws<SwapException>(() => Order(Sql("a", null, "a")));
        Assert.Equal("a (a.sql) depends on itself. Remove that dependency.", e.Message);
    }

    /// <summary>A script of a migrations folder, by file name, as the catalog gives it.</summary>
    private static MigrationScript File(string fileName, string module = "shop", params string[] after) =>
        new(Path.GetFileNameWithoutExtension(fileName), module, null, fileName.EndsWith(".cs", StringComparison.Ordinal) ? ScriptKind.CSharp : ScriptKind.Sql, "0")
        {
            Source = "/app/" + module + "/migrations/" + fileName,
            OrderName = fileName.EndsWith(".cs", StringComparison.Ordinal) ? fileName + ":" + Path.GetFileNameWithoutExtension(fileName) : Path.GetFileNameWithoutExtension(fileName),
            Dependencies = after,
            InFolder = true,
        };

    private static IReadOnlyList<string> Warnings(params MigrationScript[] scripts) =>
        ScriptOrdering.NameOrderWarnings(ScriptOrdering.Order(scripts));

    [Fact]
    public void Two_undated_scripts_of_a_module_get_one_warning_naming_them_in_their_order()
    {
        var warning = Assert.Single(Warnings(File("CreateShop.cs"), File("AddOrders.cs"), File("20261201000000_later.sql"), File("Other.cs", "billing")));
        Assert.Equal(
            "module 'shop': 2 scripts have no date, so their file names alone order them, alphabetically and before every dated script (AddOrders.cs, CreateShop.cs, in that order). "
            + "If that is not the order meant, give them date prefixes (as 'swap create' names scripts: yyyyMMddHHmmss_name) or dependencies (ExecuteAfter / -- swap:after).",
            warning);
    }

    [Fact]
    public void Undated_sql_and_csharp_scripts_mix_and_many_are_counted()
    {
        var scripts = Enumerable.Range(0, 7).Select(i => File($"step_{(char)('a' + i)}.sql")).Append(File("Seed.cs")).ToArray();
        Assert.Contains("8 scripts have no date, so their file names alone order them, alphabetically and before every dated script (Seed.cs, step_a.sql, step_b.sql, step_c.sql, step_d.sql and 3 more, in that order).", Assert.Single(Warnings(scripts)), StringComparison.Ordinal);
    }

    [Fact]
    public void Scripts_ordered_by_dates_versions_numbers_or_dependencies_get_no_warning()
    {
        Assert.Empty(Warnings(File("20261201000000_CreateShop.cs"), File("20261202000000_AddOrders.cs")));
        Assert.Empty(Warnings(V("V1__init"), V("V1.1__users")));
        Assert.Empty(Warnings(File("0001_create_users.sql"), File("0002_script.sql")));
        Assert.Empty(Warnings(File("CreateShop.cs"), File("20261201000000_later.sql")));
        Assert.Empty(Warnings(File("CreateShop.cs"), File("AddOrders.cs", "shop", "CreateShop")));
        // Through a third script: c after b after a.
        Assert.Empty(Warnings(File("a.sql"), File("b.sql", "shop", "a"), File("c.sql", "shop", "b")));
        // Each alone in its module.
        Assert.Empty(Warnings(File("CreateShop.cs"), File("AddOrders.cs", "billing")));
        // An assembly's classes are ordered by class name as documented.
        Assert.Empty(Warnings(Sql("CreateShop"), Sql("AddOrders")));
    }

    [Fact]
    public void A_dependency_that_leaves_one_pair_unordered_still_warns()
    {
        Assert.Single(Warnings(File("a.sql"), File("b.sql", "shop", "a"), File("c.sql")));
    }
}
