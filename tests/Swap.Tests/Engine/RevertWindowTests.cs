using Swap.Discovery;
using Swap.Engine;
using Swap.Engine.Revert;

namespace Swap.Tests.Engine;

/// <summary>The pure parts of revert windows: which type changes go back exactly, the reverse names, the script directive.</summary>
public class RevertWindowTests
{
    [Theory]
    // (value written to the new table's type, back into the old table's type): exact?
    [InlineData("integer", "bigint", false, true)]
    [InlineData("bigint", "integer", false, false)]
    [InlineData("int(11)", "bigint(20)", true, true)]
    [InlineData("bigint(20)", "int(11)", true, false)]
    [InlineData("int unsigned", "bigint", true, true)]
    [InlineData("int", "int unsigned", true, false)]
    [InlineData("varchar(50)", "varchar(100)", true, true)]
    [InlineData("varchar(100)", "varchar(50)", true, false)]
    [InlineData("character varying(20)", "text", false, true)]
    [InlineData("text", "character varying(20)", false, false)]
    [InlineData("varchar(70000)", "text", true, false)]
    [InlineData("varchar(200)", "text", true, true)]
    [InlineData("numeric(10,2)", "numeric(12,2)", false, true)]
    [InlineData("numeric(12,2)", "numeric(10,2)", false, false)]
    [InlineData("numeric(10,3)", "numeric(10,2)", false, false)]
    [InlineData("numeric(10,2)", "numeric", false, true)]
    [InlineData("real", "double precision", false, true)]
    [InlineData("double precision", "real", false, false)]
    [InlineData("char(5)", "varchar(10)", true, false)]
    [InlineData("timestamp(6) with time zone", "timestamp(6) with time zone", false, true)]
    [InlineData("timestamp(6) with time zone", "timestamp(3) with time zone", false, false)]
    [InlineData("date", "timestamp", false, false)]
    public void A_conversion_back_is_exact_only_when_every_value_fits(string from, string to, bool mySqlText, bool exact) =>
        Assert.Equal(exact, ExactConversion.Holds(from, to, mySqlText));

    [Fact]
    public void Reverse_names_swap_copy_and_old_and_give_the_reverse_capture_names_of_its_own()
    {
        var forward = SwapNames.For("items", 63);
        var reverse = SwapNames.Reverse("items", 63);
        Assert.Equal(forward.Old, reverse.Copy);
        Assert.Equal(forward.Copy, reverse.Old);
        Assert.Equal("_items_swap_rlog", reverse.Log);
        Assert.Equal("_items_swap_rins", reverse.InsertTrigger);
        Assert.Equal("_items_swap_rfn", reverse.Function);
        Assert.DoesNotContain(reverse.Log, new[] { forward.Log, forward.Function, forward.InsertTrigger, forward.UpdateTrigger, forward.DeleteTrigger });
        foreach (var name in new[] { reverse.Log, reverse.InsertTrigger, reverse.UpdateTrigger, reverse.DeleteTrigger, reverse.Function })
        {
            Assert.True(SwapNames.IsSwapName(name), name);
            Assert.True(SwapNames.IsReverseCaptureName(name), name);
        }
        Assert.False(SwapNames.IsReverseCaptureName(forward.Log));
        Assert.False(SwapNames.IsSwapName("_items_swap_rlogs"));
        var longName = new string('t', 70);
        Assert.True(SwapNames.Reverse(longName, 64).Log.Length <= 64);
    }

    [Fact]
    public void A_sql_script_sets_its_revert_window_with_a_directive_and_a_bad_one_is_refused()
    {
        var script = SqlScript.Parse("20260101000000_a.sql", "-- swap:online\n-- swap:revert-window 72h\nALTER TABLE t ADD COLUMN c INT;");
        Assert.Equal(TimeSpan.FromHours(72), script.RevertWindow);
        Assert.Null(SqlScript.Parse("20260101000000_b.sql", "ALTER TABLE t ADD COLUMN c INT;").RevertWindow);
        var e = Assert.Throws<SwapException>(() => SqlScript.Parse("20260101000000_c.sql", "-- swap:revert-window soon\nSELECT 1;"));
        Assert.Contains("'-- swap:revert-window soon'", e.Message, StringComparison.Ordinal);
        Assert.Contains("24h", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sql_script_gives_revert_values_with_a_directive_and_a_malformed_or_offline_one_is_refused()
    {
        var script = SqlScript.Parse("20260101000000_a.sql", "-- swap:online\n-- swap:revert-value note = concat('was ', name);\n-- swap:revert-value `items`.\"Code\" = 'a=b'\nALTER TABLE items DROP COLUMN note;");
        Assert.Equal(
            [new SqlRevertValue(null, "note", "concat('was ', name)", 2), new SqlRevertValue("items", "Code", "'a=b'", 3)],
            script.RevertValues);
        var malformed = Assert.Throws<SwapException>(() => SqlScript.Parse("20260101000000_b.sql", "-- swap:online\n-- swap:revert-value note\nSELECT 1;"));
        Assert.Equal(
            "20260101000000_b.sql(2): the SQL migration has '-- swap:revert-value note', which is not '<column> = <sql>'; write for example \"-- swap:revert-value note = ''\" (or 'items.note = ...' to name the table).",
            malformed.Message);
        var offline = Assert.Throws<SwapException>(() => SqlScript.Parse("20260101000000_c.sql", "-- swap:revert-value note = ''\nALTER TABLE items DROP COLUMN note;"));
        Assert.Equal(SwapErrorKind.InvalidMigration, offline.Kind);
        Assert.Contains("(1): the SQL migration has '-- swap:revert-value' but no '-- swap:online'", offline.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_revert_window_round_trips_through_its_journal_row()
    {
        var window = new RevertWindow
        {
            ScriptId = "20260101000000_a",
            Seq = 2,
            Stage = RevertStage.SwappedBack,
            OpenedUtc = new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc),
            ExpiresUtc = new DateTime(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc),
            Tables = [new RevertTable("items", "{}", [("old_name", "new_name"), ("k", "k")], new Dictionary<string, string> { ["extra"] = "'x'" })],
        };
        var back = RevertWindow.Read(window.ScriptId, window.Seq, RevertWindow.ParseStage(RevertWindow.Name(window.Stage)), window.Write());
        Assert.Equal(RevertStage.SwappedBack, back.Stage);
        Assert.Equal(window.OpenedUtc, back.OpenedUtc);
        Assert.Equal(window.ExpiresUtc, back.ExpiresUtc);
        Assert.Equal(window.Tables[0].Columns, back.Tables[0].Columns);
        Assert.Equal("'x'", back.Tables[0].Values["EXTRA"]);
        Assert.True(RevertWindow.IsKey(RevertWindow.Key("s")));
        Assert.Equal("s", RevertWindow.ScriptOf(RevertWindow.Key("s")));
    }
}
