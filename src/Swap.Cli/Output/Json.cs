using System.Text.Json;
using System.Text.Json.Serialization;

namespace Swap.Cli.Output;

/// <summary>The JSON shape of --json output: camelCase, enums as strings, indented.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// For stdout: the same shape, with quotes, apostrophes and non-ASCII letters written as they
    /// are ("a '-- swap:down' section", not "a \u0027-- swap:down\u0027 section"); still valid
    /// JSON. The web console keeps <see cref="Options"/>, whose escaping is safe inside HTML.
    /// </summary>
    public static readonly JsonSerializerOptions Terminal = new(Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(TextWriter writer, object value)
    {
        writer.WriteLine(JsonSerializer.Serialize(value, Terminal));
        writer.Flush();
    }
}
