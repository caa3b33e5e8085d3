using Microsoft.Extensions.Logging;

namespace Swap.Cli;

/// <summary>Writes log lines to the CLI's error stream (so stdout stays clean for results and --json), above any progress bar.</summary>
internal sealed class CliLoggerProvider(Output.ProgressView lines, LogLevel minimum, TimeProvider time) : ILoggerProvider
{
    private readonly Output.ProgressView lines = lines;
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
            // The CLI prints a failed script's error itself ('error: ...'); logging it too printed it twice.
            if (!IsEnabled(logLevel) || eventId.Name == "ScriptFailed")
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
            provider.lines.WriteLine($"{now:HH:mm:ss} {level}: {formatter(state, exception)}");
        }
    }
}
