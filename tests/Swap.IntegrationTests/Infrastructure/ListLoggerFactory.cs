using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Swap.IntegrationTests.Infrastructure;

/// <summary>A logger factory that keeps every line as "category level message", for tests that assert on what was logged.</summary>
public sealed class ListLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, Lines);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}

/// <summary>One logger of <see cref="ListLoggerFactory"/>.</summary>
public sealed class ListLogger(string category, ConcurrentQueue<string> lines) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        lines.Enqueue($"{category} {logLevel} {formatter(state, exception)}");
}
