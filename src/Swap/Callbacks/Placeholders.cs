using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Swap.Data;
using Swap.Discovery;

namespace Swap.Callbacks;

/// <summary>
/// <c>${name}</c> placeholders in SQL scripts and SQL callbacks, replaced by text from swap.json or
/// <c>--placeholder name=value</c>, and Flyway's built-in <c>${flyway:...}</c> ones, which Swap
/// gives as Flyway does. Every placeholder must have a value before anything runs.
/// </summary>
internal static partial class Placeholders
{
    // Anything Flyway would read as a placeholder, so none is sent to the database unreplaced by surprise.
    [GeneratedRegex(@"\$\{(?<name>[^{}\s]+)\}")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Name();

    private const string FlywayPrefix = "flyway:";

    /// <summary>Flyway's built-in placeholders that Swap gives a value (<c>${flyway:table}</c> is not one: Swap does not write Flyway's history).</summary>
    private static readonly string[] FlywayBuiltIns = ["defaultSchema", "user", "database", "timestamp", "filename", "workingDirectory"];

    public static bool IsValidName(string name) => Name().IsMatch(name);

    /// <summary>True when the text uses one of Flyway's built-in placeholders, whose values <see cref="FlywayValuesAsync"/> reads.</summary>
    public static bool UsesFlyway(string text) => text.Contains("${" + FlywayPrefix, StringComparison.Ordinal);

    /// <summary>The text with every placeholder replaced (all are known to be defined by <see cref="Check"/>).</summary>
    public static string Apply(string text, IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, string>? flyway = null) =>
        !text.Contains("${", StringComparison.Ordinal) ? text : Pattern().Replace(text, m =>
            values.TryGetValue(m.Groups["name"].Value, out var v) ? v
            : flyway is not null && flyway.TryGetValue(m.Groups["name"].Value, out var f) ? f
            : m.Value);

    /// <summary>
    /// Flyway's built-in values for one file, as Flyway gives them: the connection's schema, user and
    /// database, the time (<c>yyyy-MM-dd HH:mm:ss</c>, UTC), the file's name and the working directory.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> FlywayValuesAsync(
        SwapDatabase database, DbConnection connection, DbTransaction? transaction, string file, TimeProvider time, CancellationToken cancellationToken)
    {
        var sql = database.Engine switch
        {
            DatabaseEngine.PostgreSql => "SELECT current_schema() AS s, current_user AS u, current_database() AS d",
            DatabaseEngine.MySql => "SELECT DATABASE() AS s, SUBSTRING_INDEX(USER(), '@', 1) AS u, DATABASE() AS d",
            _ => "SELECT 'main' AS s, '' AS u, 'main' AS d",
        };
        var row = (await connection.QueryAsync(sql, null, transaction, cancellationToken))[0];
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [FlywayPrefix + "defaultSchema"] = row.String("s") ?? "",
            [FlywayPrefix + "user"] = row.String("u") ?? "",
            [FlywayPrefix + "database"] = row.String("d") ?? "",
            [FlywayPrefix + "timestamp"] = time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            [FlywayPrefix + "filename"] = Path.GetFileName(file),
            [FlywayPrefix + "workingDirectory"] = Environment.CurrentDirectory,
        };
    }

    /// <summary>Refuses (usage error, nothing runs) the first placeholder of any SQL script or callback that has no value.</summary>
    public static void Check(MigrationCatalog catalog, IReadOnlyDictionary<string, string> values)
    {
        foreach (var script in catalog.Scripts.Where(s => s.Sql is not null))
        {
            var flywayNamed = script.Version is not null;
            CheckText(script.Sql!.Path, script.Sql.Up, script.Sql.UpLine, values, flywayNamed);
            if (script.Sql.Down is { } down)
                CheckText(script.Sql.DownPath ?? script.Sql.Path, down, script.Sql.DownPath is null ? script.Sql.DownLine : 1, values, flywayNamed);
        }
        foreach (var callback in catalog.Callbacks.Sql.Values)
            CheckText(callback.Path, callback.Text, 1, values, flywayNamed: true);
    }

    private static void CheckText(string path, string text, int firstLine, IReadOnlyDictionary<string, string> values, bool flywayNamed)
    {
        foreach (Match m in Pattern().Matches(text))
        {
            var name = m.Groups["name"].Value;
            if (values.ContainsKey(name))
                continue;
            var where = $"{path}({firstLine + text.AsSpan(0, m.Index).Count('\n')})";
            if (name.StartsWith(FlywayPrefix, StringComparison.Ordinal))
            {
                var builtIn = name[FlywayPrefix.Length..];
                if (FlywayBuiltIns.Contains(builtIn, StringComparer.Ordinal))
                    continue;
                throw new SwapException(
                    SwapErrorKind.Usage,
                    builtIn == "table"
                        ? $"{where}: ${{flyway:table}} names Flyway's history table, which Swap neither reads for a run nor writes; nothing was run. Write the table's name in its place (flyway_schema_history by default)."
                        : $"{where}: ${{{name}}} is not one of Flyway's placeholders that Swap gives ({string.Join(", ", FlywayBuiltIns.Select(b => $"${{flyway:{b}}}"))}); nothing was run. Write the value in its place, or use a placeholder of your own (${{name}}, given in swap.json or with --placeholder name=<value>).");
            }
            if (IsValidName(name))
            {
                throw new SwapException(
                    SwapErrorKind.Usage,
                    $"{where}: the placeholder ${{{name}}} has no value; nothing was run. Give it in swap.json (\"placeholders\": {{ \"{name}\": \"...\" }}) or with --placeholder {name}=<value>." +
                    (values.Count == 0 ? "" : $" Defined placeholders: {string.Join(", ", values.Keys.Order(StringComparer.Ordinal))}."));
            }
            // Swap's own script names kept other ${...} text as it is; Flyway would refuse it, so a Flyway-named script does.
            if (flywayNamed)
            {
                throw new SwapException(
                    SwapErrorKind.Usage,
                    $"{where}: ${{{name}}} is a placeholder to Flyway, and Swap has no value for it (a placeholder name is letters, digits and _); nothing was run. Rename it (${{my_name}}) and give it in swap.json or with --placeholder my_name=<value>, or write the value in its place.");
            }
        }
    }
}
