namespace Swap.Scenarios.Demo;

/// <summary>One row of the demo's <c>customers</c> table.</summary>
internal sealed class Customer
{
    public int Id { get; set; }
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string Email { get; set; } = "";
    public string Country { get; set; } = "";
    public string City { get; set; } = "";
    public DateTime SignedUpAt { get; set; }
    public int OrdersCount { get; set; }
    public double TotalSpent { get; set; }
    public DateTime? LastOrderAt { get; set; }
}
