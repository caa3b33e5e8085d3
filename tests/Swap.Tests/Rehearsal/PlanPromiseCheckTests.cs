using Swap.Engine.Schema;
using Swap.MySql;
using Swap.PostgreSql;
using Swap.Rehearsal;

namespace Swap.Tests.Rehearsal;

/// <summary>The comparison a rehearsal makes between a table on staging and the shape plan promised for it.</summary>
public class PlanPromiseCheckTests
{
    private static TableSchema Items(params ColumnSchema[] columns) => new()
    {
        Name = "items",
        Columns = columns,
        PrimaryKey = ["id"],
        Indexes = [new IndexSchema("ix_items_note", [new IndexColumn("note")], Unique: false)],
    };

    private static readonly TableSchema Promised = Items(
        new ColumnSchema("id", "integer", false),
        new ColumnSchema("name", "varchar(50)", false),
        new ColumnSchema("note", "varchar(50)", true));

    [Fact]
    public void The_same_table_in_the_catalog_s_spelling_of_its_types_has_no_difference()
    {
        var staging = Items(
            new ColumnSchema("id", "integer", false),
            new ColumnSchema("name", "character varying(50)", false),
            new ColumnSchema("note", "character varying(50)", true));

        Assert.Empty(PlanPromiseCheck.Differences(Promised, staging, PostgresDialect.Instance));
    }

    [Fact]
    public void Each_difference_of_columns_types_nullability_key_and_indexes_is_named()
    {
        var staging = Promised with
        {
            Columns =
            [
                new ColumnSchema("id", "bigint", false),
                new ColumnSchema("note", "varchar(50)", false),
                new ColumnSchema("extra", "int", true),
            ],
            PrimaryKey = ["id", "note"],
            Indexes = [new IndexSchema("ix_items_note", [new IndexColumn("note")], Unique: true), new IndexSchema("ix_items_extra", [new IndexColumn("extra")], Unique: false)],
        };

        Assert.Equal(
            [
                "column name: promised, missing on staging",
                "column extra: on staging, not promised",
                "column id: promised type integer, staging has bigint",
                "column note: promised NULL, staging has NOT NULL",
                "primary key: promised (id), staging has (id, note)",
                "index ix_items_note: promised (note), staging has unique (note)",
                "index ix_items_extra (extra): on staging, not promised",
            ],
            PlanPromiseCheck.Differences(Promised, staging, PostgresDialect.Instance));
    }

    [Fact]
    public void Columns_in_another_order_and_a_missing_index_are_differences_and_mysql_display_widths_are_not()
    {
        var staging = Promised with
        {
            Columns = [new ColumnSchema("id", "int(11)", false), new ColumnSchema("note", "varchar(50)", true), new ColumnSchema("name", "varchar(50)", false)],
            Indexes = [],
        };
        var promised = Promised with { Columns = [new ColumnSchema("id", "int", false), .. Promised.Columns.Skip(1)] };

        Assert.Equal(
            ["column order: promised id, name, note, staging has id, note, name", "index ix_items_note (note): promised, missing on staging"],
            PlanPromiseCheck.Differences(promised, staging, MySqlDialect.Instance));
    }
}
