using System.Text.Json;
using Swap.Dialects;
using Swap.History;

namespace Swap.Cli.Web;

/// <summary>
/// The database the console serves, as the CLI opens it: a fresh <see cref="Migrator"/> per read or
/// run (so edited scripts are seen, and runs share nothing but the database), the operators'
/// <see cref="SwapControl"/>, and the redaction every response passes through.
/// </summary>
internal sealed class ConsoleTarget(SwapDatabase database, RunnerTables tables, TimeProvider time, Func<Action<MigratorOptions>?, Migrator> migrator, Func<string, string> redact)
{
    private static readonly JsonSerializerOptions Compact = new(Output.Json.Options) { WriteIndented = false };

    public Migrator Migrator(Action<MigratorOptions>? configure = null) => migrator(configure);

    /// <summary>Control of the running swap; its commands say they came from <paramref name="remote"/> through this console.</summary>
    public SwapControl Control(string remote) => new(database, tables, time) { SentBy = $"{Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId} (web console, {remote})" };

    /// <summary>Control for reading only.</summary>
    public SwapControl Reader() => new(database, tables, time);

    /// <summary>The database without its password.</summary>
    public string DisplayName => database.DisplayName;

    public TimeProvider Time => time;

    /// <summary>Hides passwords (URLs, connection strings, the --db value as given).</summary>
    public string Redact(string text) => redact(text);

    /// <summary>Serializes <paramref name="value"/> as the CLI's --json does (camelCase, kebab-case enums), with passwords hidden.</summary>
    public string Json(object value) => Redact(JsonSerializer.Serialize(value, Compact));
}
