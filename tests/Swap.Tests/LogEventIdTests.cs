using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Swap.Tests;

/// <summary>Every log message of Swap has an event id of its own, so a log pipeline can filter or alert on one.</summary>
public class LogEventIdTests
{
    [Fact]
    public void No_two_log_messages_share_an_event_id()
    {
        Assembly[] assemblies =
        [
            typeof(Migrator).Assembly,
            typeof(Swap.MySql.MySqlDatabase).Assembly,
            typeof(Swap.PostgreSql.PostgresDatabase).Assembly,
            typeof(Swap.Sqlite.SqliteDatabase).Assembly,
            typeof(Swap.Cli.CliApp).Assembly,
        ];
        var messages = assemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .ToList();
        Assert.True(messages.Count > 50, $"found only {messages.Count} log messages: the scan is not seeing them");

        var shared = messages
            .GroupBy(x => x.Attribute!.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => x.Method.DeclaringType!.Name + "." + x.Method.Name))}")
            .ToList();
        Assert.True(shared.Count == 0, "event ids used twice: " + string.Join("; ", shared));
    }
}
