using System.Globalization;

namespace Swap.Scenarios.Online.Data;

/// <summary>
/// <c>attachments</c>: file metadata rows of about 200 bytes (owner, file name, MIME type, size,
/// SHA-256, storage key, creation time), indexed by owner and by content hash.
/// </summary>
internal sealed class AttachmentsTable : TableModel
{
    private const ulong Seed = 0x5EED_0002;

    public override string Name => "attachments";

    public override IReadOnlyList<BenchColumn> Columns { get; } =
    [
        new("id", BenchType.Key),
        new("user_id", BenchType.BigInt),
        new("file_name", BenchType.String, 255),
        new("content_type", BenchType.String, 100),
        new("byte_size", BenchType.Int),
        new("sha256", BenchType.String, 64),
        new("storage_key", BenchType.String, 255),
        new("created_at", BenchType.Timestamp),
    ];

    public override IReadOnlyList<BenchIndex> Indexes { get; } =
    [
        new("ix_attachments_user", ["user_id"]),
        new("ix_attachments_sha256", ["sha256"]),
    ];

    protected override BenchChange FullChange { get; } = new(
        new BenchColumn("scan_status", BenchType.String, 16),
        "pending",
        "byte_size",
        "byte_size",
        new BenchIndex("ix_attachments_scan", ["scan_status", "created_at"]));

    public override string UpdateSet => "file_name = @u0, storage_key = @u1";

    public override void Row(long id, object?[] values)
    {
        var p = Pools.Shared;
        var i = (ulong)id;
        var created = At(Mix.Hash(Seed, i, 3), 9L * 365 * 86400);
        values[0] = id;
        values[1] = 1 + Mix.Below(Seed, i, 1, Math.Max(1000, id / 4));
        values[2] = Mix.Pick(p.FileNames, Seed, i, 2);
        values[3] = Mix.Pick(p.MimeTypes, Seed, i, 4);
        values[4] = (int)Mix.Below(Seed, i, 5, 50_000_000);
        values[5] = Sha(i);
        values[6] = Key(created, i, 6);
        values[7] = created;
    }

    public override object?[] UpdateValues(long index) =>
        [Mix.Pick(Pools.Shared.FileNames, Seed, (ulong)index, 20), Key(Epoch.AddYears(10), (ulong)index, 21)];

    private static string Sha(ulong i) => string.Concat(Enumerable.Range(0, 4).Select(k => Mix.Hash(Seed, i, 30 + (ulong)k).ToString("x16", CultureInfo.InvariantCulture)));

    private static string Key(DateTime at, ulong i, ulong stream) =>
        string.Create(CultureInfo.InvariantCulture, $"{Mix.Pick(Pools.Shared.Folders, Seed, i, stream)}/{at:yyyy/MM}/{Mix.Hash(Seed, i, stream + 100):x16}");
}
