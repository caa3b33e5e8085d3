namespace Swap.Scenarios.Online.Data;

/// <summary>
/// <c>users</c>: about 300 bytes a row (names, e-mail, country, city, status, a login counter,
/// three timestamps and a free-text bio of 120-260 characters), with a unique e-mail index, a name
/// index and a creation-time index.
/// </summary>
internal sealed class UsersTable : TableModel
{
    private const ulong Seed = 0x5EED_0001;
    private static readonly string[] Statuses = ["active", "active", "active", "active", "inactive", "pending", "suspended"];

    public override string Name => "users";

    public override IReadOnlyList<BenchColumn> Columns { get; } =
    [
        new("id", BenchType.Key),
        new("first_name", BenchType.String, 50),
        new("last_name", BenchType.String, 50),
        new("email", BenchType.String, 120),
        new("country", BenchType.String, 60),
        new("city", BenchType.String, 60),
        new("status", BenchType.String, 16),
        new("login_count", BenchType.Int),
        new("created_at", BenchType.Timestamp),
        new("updated_at", BenchType.Timestamp),
        new("last_login_at", BenchType.Timestamp, Nullable: true),
        new("bio", BenchType.Text, Nullable: true),
    ];

    public override IReadOnlyList<BenchIndex> Indexes { get; } =
    [
        new("ux_users_email", ["email"], Unique: true),
        new("ix_users_name", ["last_name", "first_name"]),
        new("ix_users_created", ["created_at"]),
    ];

    protected override BenchChange FullChange { get; } = new(
        new BenchColumn("kind", BenchType.String, 16),
        "user",
        "email",
        "login_count",
        new BenchIndex("ix_users_kind", ["kind", "created_at"]));

    public override string UpdateSet => "bio = @u0, updated_at = @u1, last_login_at = @u1, login_count = login_count + 1";

    public override void Row(long id, object?[] values)
    {
        var p = Pools.Shared;
        var i = (ulong)id;
        var first = Mix.Pick(p.FirstNames, Seed, i, 1);
        var last = Mix.Pick(p.LastNames, Seed, i, 2);
        var created = At(Mix.Hash(Seed, i, 3), 9L * 365 * 86400);
        var updated = created.AddSeconds(Mix.Below(Seed, i, 4, 365L * 86400));
        values[0] = id;
        values[1] = first;
        values[2] = last;
        values[3] = Email(first, last, id, Mix.Pick(p.Domains, Seed, i, 5));
        values[4] = Mix.Pick(p.Countries, Seed, i, 6);
        values[5] = Mix.Pick(p.Cities, Seed, i, 7);
        values[6] = Mix.Pick(Statuses, Seed, i, 8);
        values[7] = (int)Mix.Below(Seed, i, 9, 5000);
        values[8] = created;
        values[9] = updated;
        values[10] = Mix.Below(Seed, i, 10, 5) == 0 ? null : updated.AddSeconds(Mix.Below(Seed, i, 11, 86400));
        values[11] = Mix.Below(Seed, i, 12, 10) == 0 ? null : Mix.Pick(p.Bios, Seed, i, 13);
    }

    public override object?[] UpdateValues(long index) =>
        [Mix.Pick(Pools.Shared.Bios, Seed, (ulong)index, 20), Epoch.AddYears(10).AddSeconds(index)];

    /// <summary>Unique by construction: the id is part of the local part.</summary>
    private static string Email(string first, string last, long id, string domain) =>
        $"{Local(first)}.{Local(last)}.{id.ToString(System.Globalization.CultureInfo.InvariantCulture)}@{domain}";

    private static string Local(string s) => new([.. s.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);
}
