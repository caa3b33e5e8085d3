using Bogus;

namespace Swap.Scenarios.Online.Data;

/// <summary>
/// Realistic values made by Bogus once, from a fixed seed: names, cities, countries, bios, file
/// names, MIME types. Rows pick from these pools by a hash of their id, so a million rows are made
/// in a second and are the same in every engine and every run.
/// </summary>
internal sealed class Pools
{
    private Pools(int seed)
    {
        Randomizer.Seed = new Random(seed);
        var f = new Faker("en");
        FirstNames = Make(3000, () => f.Name.FirstName());
        LastNames = Make(3000, () => f.Name.LastName());
        Cities = Make(2000, () => f.Address.City());
        Countries = Make(240, () => f.Address.Country());
        Domains = Make(60, () => f.Internet.DomainName());
        Bios = Make(20000, () => Clip(f.Lorem.Paragraph(4), f.Random.Int(120, 260)));
        FileNames = Make(5000, () => f.System.FileName());
        MimeTypes = Make(200, () => f.System.MimeType());
        Folders = Make(500, () => f.System.DirectoryPath().Trim('/'));
    }

    public static Pools Shared { get; } = new(42);

    public IReadOnlyList<string> FirstNames { get; }
    public IReadOnlyList<string> LastNames { get; }
    public IReadOnlyList<string> Cities { get; }
    public IReadOnlyList<string> Countries { get; }
    public IReadOnlyList<string> Domains { get; }
    public IReadOnlyList<string> Bios { get; }
    public IReadOnlyList<string> FileNames { get; }
    public IReadOnlyList<string> MimeTypes { get; }
    public IReadOnlyList<string> Folders { get; }

    private static string[] Make(int n, Func<string> next) => Enumerable.Range(0, n).Select(_ => next()).ToArray();

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length].TrimEnd();
}
