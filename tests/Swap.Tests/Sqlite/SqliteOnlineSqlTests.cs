using Swap.Engine;
using Swap.Engine.Schema;
using Swap.Sqlite;
using Swap.Sqlite.Internal;

namespace Swap.Tests.Sqlite;

/// <summary>The SQL of SQLite's online swap, without a database: capture, chunk copy, the copy's index names, and which way a swap goes.</summary>
public class SqliteOnlineSqlTests
{
    private static readonly SqliteTableEngine Engine = new(new SqliteDatabase(":memory:"));

    private static SwapSpec Spec(IReadOnlyList<string> key)
    {
        var original = new TableSchema
        {
            Name = "order items",
            Columns = [new ColumnSchema("tenant", "INTEGER", false, null), new ColumnSchema("id", "INTEGER", false, null), new ColumnSchema("v", "TEXT", true, null)],
            PrimaryKey = key,
            Indexes = [new IndexSchema("ix v", [new IndexColumn("v")], false, Definition: "CREATE INDEX \"ix v\" ON \"order items\" (lower(v)) WHERE v IS NOT NULL")],
            EstimatedRows = 20_000,
        };
        var names = SwapNames.For(original.Name, SqliteDialect.Instance.MaxIdentifierLength);
        return new SwapSpec
        {
            Original = original,
            Copy = original with { Name = names.Copy },
            Names = names,
            Key = key,
            CopyKey = key,
            Mapping = original.Columns.Select(c => new ColumnMapping(c.Name, SqliteDialect.Instance.Quote(c.Name), c.NativeType)).ToList(),
            TargetIndexes = original.Indexes,
            Captured = true,
        };
    }

    [Fact]
    public void Capture_logs_the_key_of_every_write_and_both_keys_of_a_key_change()
    {
        var sql = Engine.InstallCapture(Spec(["tenant", "id"]));

        Assert.Equal(
        [
            "DROP INDEX IF EXISTS \"_ix v_swap_new\"",
            "CREATE INDEX \"_ix v_swap_new\" ON \"_order items_swap_new\" (lower(v)) WHERE v IS NOT NULL",
            "DROP TABLE IF EXISTS \"_order items_swap_log\"",
            "CREATE TABLE \"_order items_swap_log\" (\"id\" INTEGER PRIMARY KEY, \"op\" TEXT NOT NULL, \"k0\" INTEGER, \"k1\" INTEGER)",
            "CREATE INDEX \"_order items_swap_log_k\" ON \"_order items_swap_log\" (\"k0\", \"k1\")",
            "CREATE TRIGGER \"_order items_swap_ins\" AFTER INSERT ON \"order items\" BEGIN INSERT INTO \"_order items_swap_log\" (\"op\", \"k0\", \"k1\") VALUES ('i', NEW.\"tenant\", NEW.\"id\"); END",
            "CREATE TRIGGER \"_order items_swap_upd\" AFTER UPDATE ON \"order items\" BEGIN INSERT INTO \"_order items_swap_log\" (\"op\", \"k0\", \"k1\") VALUES ('u', OLD.\"tenant\", OLD.\"id\"); " +
                "INSERT INTO \"_order items_swap_log\" (\"op\", \"k0\", \"k1\") SELECT 'u', NEW.\"tenant\", NEW.\"id\" WHERE NOT (OLD.\"tenant\" IS NEW.\"tenant\") OR NOT (OLD.\"id\" IS NEW.\"id\"); END",
            "CREATE TRIGGER \"_order items_swap_del\" AFTER DELETE ON \"order items\" BEGIN INSERT INTO \"_order items_swap_log\" (\"op\", \"k0\", \"k1\") VALUES ('d', OLD.\"tenant\", OLD.\"id\"); END",
        ],
            sql);
    }

    [Fact]
    public void Removing_capture_drops_triggers_then_the_log_then_the_copys_temporary_indexes()
    {
        Assert.Equal(
        [
            "DROP TRIGGER IF EXISTS \"_order items_swap_ins\"",
            "DROP TRIGGER IF EXISTS \"_order items_swap_upd\"",
            "DROP TRIGGER IF EXISTS \"_order items_swap_del\"",
            "DROP TABLE IF EXISTS \"_order items_swap_log\"",
            "DROP INDEX IF EXISTS \"_ix v_swap_new\"",
        ],
            Engine.RemoveCapture(Spec(["id"])));
    }

    [Fact]
    public void A_chunk_skips_only_keys_already_in_the_copy()
    {
        var sql = Engine.CopyChunk(Spec(["id"]), "o.\"id\" > @l0");

        Assert.Equal("INSERT INTO \"_order items_swap_new\" (\"tenant\", \"id\", \"v\") SELECT \"tenant\", \"id\", \"v\" FROM \"order items\" o WHERE o.\"id\" > @l0 ON CONFLICT DO NOTHING", sql);
    }

    [Theory]
    [InlineData("CREATE INDEX ix_a ON items(a)", "CREATE INDEX \"n\" ON \"t\" (a)")]
    [InlineData("create unique index if not exists main.\"my \"\"ix\" on [it s] ( lower(a) DESC ) WHERE a > 0", "CREATE UNIQUE INDEX \"n\" ON \"t\" ( lower(a) DESC ) WHERE a > 0")]
    [InlineData("CREATE INDEX `x` ON `t t`(a COLLATE NOCASE, b)", "CREATE INDEX \"n\" ON \"t\" (a COLLATE NOCASE, b)")]
    public void An_index_definition_is_retargeted_keeping_everything_after_the_table(string definition, string expected) =>
        Assert.Equal(expected, SqliteIndexSql.Retarget(definition, "\"n\"", "\"t\""));

    [Theory]
    [InlineData(9_999, 10_000L, false)]
    [InlineData(10_000, 10_000L, true)]
    [InlineData(0, 0L, true)]
    [InlineData(5_000_000, long.MaxValue, false)]
    public void A_swap_goes_online_from_the_threshold(long rows, long threshold, bool online)
    {
        var options = new OnlineSwapOptions { OneTransactionBelowRows = threshold };

        Assert.Equal(online, Engine.SwapsOnline(Spec(["id"]).Original with { EstimatedRows = rows }, options));
        Assert.False(Engine.SwapsOnline(null, options));
    }

    [Fact]
    public void Writers_get_half_the_held_time_between_10_and_100_ms()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(25), Engine.WritersTurn(TimeSpan.FromMilliseconds(50)));
        Assert.Equal(TimeSpan.FromMilliseconds(10), Engine.WritersTurn(TimeSpan.FromMilliseconds(2)));
        Assert.Equal(TimeSpan.FromMilliseconds(100), Engine.WritersTurn(TimeSpan.FromSeconds(3)));
        Assert.Equal(TimeSpan.FromMilliseconds(50), Engine.DefaultChunkTime);
    }
}
