using System.Text.Json;
using System.Text.Json.Nodes;

namespace Swap.Journal;

/// <summary>The journal's data column: a step's description and its recorded result, as JSON.</summary>
internal static class StepData
{
    public static string Encode(string description, string? result)
    {
        var node = new JsonObject { ["d"] = description };
        if (result is not null)
            node["r"] = result;
        return node.ToJsonString();
    }

    public static string? Description(string? data) => Read(data, "d");

    public static string? Result(string? data) => Read(data, "r");

    private static string? Read(string? data, string key)
    {
        if (string.IsNullOrEmpty(data))
            return null;
        try
        {
            return JsonNode.Parse(data)?[key]?.GetValue<string>();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
