using Bogus;

namespace Swap.Scenarios.Demo;

/// <summary>
/// Realistic, reproducible customers: a fixed seed and fixed date ranges give the same rows on
/// every run. Order counts are skewed the way shops see them: most customers order a few times,
/// a few order a lot.
/// </summary>
internal static class CustomerFaker
{
    private static readonly DateTime First = new(2019, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Last = new(2026, 10, 31, 0, 0, 0, DateTimeKind.Utc);

    public static Faker<Customer> Create(int seed) => new Faker<Customer>("en")
        .UseSeed(seed)
        .RuleFor(c => c.Id, f => f.IndexFaker + 1)
        .RuleFor(c => c.FirstName, f => f.Name.FirstName())
        .RuleFor(c => c.LastName, f => f.Name.LastName())
        .RuleFor(c => c.Email, (f, c) => f.Internet.Email(c.FirstName, c.LastName, uniqueSuffix: c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToLowerInvariant())
        .RuleFor(c => c.Country, f => f.Address.CountryCode())
        .RuleFor(c => c.City, f => f.Address.City())
        .RuleFor(c => c.SignedUpAt, f => f.Date.Between(First, Last))
        .RuleFor(c => c.OrdersCount, f => (int)Math.Floor(Math.Pow(f.Random.Double(), 3) * 60))
        .RuleFor(c => c.TotalSpent, (f, c) => Math.Round(c.OrdersCount * f.Random.Double(12, 240), 2))
        .RuleFor(c => c.LastOrderAt, (f, c) => c.OrdersCount == 0 ? null : f.Date.Between(c.SignedUpAt, Last));
}
