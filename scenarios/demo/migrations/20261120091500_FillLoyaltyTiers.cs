// Fills customers.loyalty_tier from what each customer ordered and spent. The thresholds are
// parameters, never SQL text; the best tier a customer qualifies for wins. During 'swap plan'
// (db.IsDryRun) the updates are only recorded, so there are no counts to log.
using Microsoft.Extensions.Logging;

public sealed class MigrateFillLoyaltyTiers : Migration
{
    private static readonly (string Tier, double MinSpent, int MinOrders)[] Tiers =
    [
        ("gold", 5000, 20),
        ("silver", 1000, 5),
        ("bronze", 0, 1),
    ];

    public MigrateFillLoyaltyTiers() => ExecuteAfter("20261120090000_add_loyalty_tier");

    public override async Task UpAsync(MigrationContext db)
    {
        foreach (var (tier, minSpent, minOrders) in Tiers)
        {
            var rows = await db.ExecuteAsync(
                "UPDATE customers SET loyalty_tier = @tier WHERE loyalty_tier IS NULL AND total_spent >= @minSpent AND orders_count >= @minOrders",
                new { tier, minSpent, minOrders });
            if (!db.IsDryRun)
                db.Logger.LogInformation("{Tier}: {Rows} customers", tier, rows);
        }
        var rest = await db.ExecuteAsync("UPDATE customers SET loyalty_tier = @tier WHERE loyalty_tier IS NULL", new { tier = "none" });
        if (!db.IsDryRun)
            db.Logger.LogInformation("none: {Rows} customers (no orders yet)", rest);
    }

    public override Task DownAsync(MigrationContext db) =>
        db.ExecuteAsync("UPDATE customers SET loyalty_tier = NULL");
}
