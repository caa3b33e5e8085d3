using Microsoft.Extensions.Logging;

namespace Swap.Cli;

/// <summary>Writes log lines to the CLI's error stream (so stdout stays clean for results and --json).</summary>
internal sealed class CliLoggerProvider(TextWriter writer, LogLevel minimum, TimeProvider time) : ILoggerProvider
{
    private readonly Lock gate = new();
    private readonly TextWriter writer = writer;
    private readonly LogLevel minimum = minimum;
    private readonly TimeProvider time = time;

    public ILogger CreateLogger(string categoryName) => new CliLogger(this);

    public void Dispose()
    {
    }

    private sealed class CliLogger(CliLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider.minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            var level = logLevel switch
            {
                LogLevel.Trace => "trce",
                LogLevel.Debug => "dbug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warn",
                LogLevel.Error => "fail",
                _ => "crit",
            };
            var now = provider.time.GetLocalNow();
            lock (provider.gate)
            {
                provider.writer.WriteLine($"{now:HH:mm:ss} {level}: {formatter(state, exception)}");
                provider.writer.Flush();
            }
        }
    }
}
