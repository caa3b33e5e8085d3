using System.Data.Common;
using System.Reflection;

namespace Swap.Data;

/// <summary>
/// Turns the <c>parameters</c> argument of the script API into <see cref="DbParameter"/>s named
/// <c>@name</c>: an anonymous object, a dictionary, or null. Values are never put into SQL text.
/// </summary>
internal static class SqlParameters
{
    public static IReadOnlyList<KeyValuePair<string, object?>> Read(object? parameters)
    {
        switch (parameters)
        {
            case null:
                return [];
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                return pairs.ToList();
            default:
                return parameters.GetType()
                    .GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.GetIndexParameters().Length == 0)
                    .Select(p => new KeyValuePair<string, object?>(p.Name, p.GetValue(parameters)))
                    .ToList();
        }
    }

    public static void Bind(DbCommand command, IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        foreach (var p in Create(command.CreateParameter, parameters))
            command.Parameters.Add(p);
    }

    /// <summary>The parameters as the driver's own (<c>@name</c>, null as DBNull, times in UTC, enums by name).</summary>
    public static IEnumerable<DbParameter> Create(Func<DbParameter> create, IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            var p = create();
            p.ParameterName = name.StartsWith('@') ? name : "@" + name;
            p.Value = value switch
            {
                null => DBNull.Value,
                DateTimeOffset dto => dto.UtcDateTime,
                Enum e => e.ToString(),
                _ => value,
            };
            yield return p;
        }
    }
}
