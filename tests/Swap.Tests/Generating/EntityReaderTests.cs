using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Swap.Generating;

#pragma warning disable CA1812, SA1402 // entity shapes read by 'generate', never instantiated

namespace Swap.Tests.Generating;

public class EntityReaderTests
{
    [Table("lines")]
    public sealed class Line
    {
        [Key, Column("order_id", Order = 0)] public int OrderId { get; set; }
        [Key, Column("no", Order = 1)] public int No { get; set; }
        [Column("product_id")] public long ProductId { get; set; }
        [OnDelete("CASCADE", OnUpdate = "RESTRICT")] public Order Order { get; set; } = null!;
        public Product? Product { get; set; }
    }

    [Table("orders")]
    public sealed class Order
    {
        [Column("id")] public int Id { get; set; }
        public ICollection<Line> Lines { get; } = [];
    }

    [Table("products")]
    public sealed class Product
    {
        [Key, Column("sku")] public long Sku { get; set; }
    }

    [Table("orphans")]
    public sealed class Orphan
    {
        [Column("id")] public int Id { get; set; }
        public Product? Product { get; set; }
    }

    [Table("bad_actions")]
    public sealed class BadAction
    {
        [Column("id")] public int Id { get; set; }
        [Column("product_id")] public long ProductId { get; set; }
        [OnDelete("EXPLODE")] public Product? Product { get; set; }
    }

    [Fact]
    public void Navigations_make_foreign_keys_to_the_principals_key_and_principals_come_first()
    {
        var tables = EntityReader.Read([typeof(Line), typeof(Order), typeof(Product)]);

        Assert.Equal(["orders", "products", "lines"], tables.Select(t => t.Name));
        var keys = tables[2].ForeignKeys;
        Assert.Equal(
            [
                new EntityForeignKey("fk_lines_order_id", ["order_id"], "orders", ["id"], "CASCADE", "RESTRICT"),
                new EntityForeignKey("fk_lines_product_id", ["product_id"], "products", ["sku"], null, null),
            ],
            keys,
            new KeyComparer());
        Assert.Empty(tables[0].ForeignKeys);
        Assert.Equal(["id"], tables[0].Columns.Select(c => c.Name));
    }

    [Fact]
    public void A_navigation_without_its_key_property_and_an_unknown_action_are_refused()
    {
        var missing = Assert.Throws<SwapException>(() => EntityReader.Read([typeof(Orphan), typeof(Product)]));
        Assert.Equal(SwapErrorKind.InvalidMigration, missing.Kind);
        Assert.Contains("has the navigation property Product without a foreign key property 'ProductId'", missing.Message, StringComparison.Ordinal);

        var action = Assert.Throws<SwapException>(() => EntityReader.Read([typeof(BadAction), typeof(Product)]));
        Assert.Equal(SwapErrorKind.Refused, action.Kind);
        Assert.Contains("'EXPLODE' is not a foreign key action", action.Message, StringComparison.Ordinal);
    }

    private sealed class KeyComparer : IEqualityComparer<EntityForeignKey>
    {
        public bool Equals(EntityForeignKey? x, EntityForeignKey? y) =>
            x is not null && y is not null && x.Name == y.Name && x.Columns.SequenceEqual(y.Columns) && x.ReferencedTable == y.ReferencedTable
            && x.ReferencedColumns.SequenceEqual(y.ReferencedColumns) && x.OnDelete == y.OnDelete && x.OnUpdate == y.OnUpdate;

        public int GetHashCode(EntityForeignKey obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
