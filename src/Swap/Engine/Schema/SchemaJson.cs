using System.Text.Json;

namespace Swap.Engine.Schema;

/// <summary>Round-trips schemas through the journal.</summary>
internal static class SchemaJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static string Write(TableSchema schema) => JsonSerializer.Serialize(schema, Options);

    public static TableSchema Read(string json) => JsonSerializer.Deserialize<TableSchema>(json, Options)
        ?? throw new SwapException(SwapErrorKind.Failure, "The journal holds an empty table schema.");
}
