using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Swap;

namespace Shop.Entities;

/// <summary>A customer of the shop.</summary>
[Table("customers")]
[TableIndex("email", Unique = true)]
public sealed class Customer
{
    [Column("id")]
    public long Id { get; set; }

    [Required]
    [MaxLength(200)]
    [Column("email")]
    public string Email { get; set; } = "";

    [MaxLength(100)]
    [Column("name")]
    public string? Name { get; set; }

#if SHOP_V2
    /// <summary>Version 2: a new nullable column, added instantly.</summary>
    [MaxLength(30)]
    [Column("phone")]
    public string? Phone { get; set; }
#endif
}

#if SHOP_V2
/// <summary>Version 2: a new table with a foreign key to customers.</summary>
[Table("orders")]
[TableIndex("customer_id", "placed_at")]
public sealed class Order
{
    [Column("id")]
    public long Id { get; set; }

    [Column("customer_id")]
    public long CustomerId { get; set; }

    [OnDelete("CASCADE")]
    public Customer Customer { get; set; } = null!;

    [Column("total")]
    public decimal Total { get; set; }

    [Column("placed_at")]
    public DateTime PlacedAt { get; set; }
}
#endif
