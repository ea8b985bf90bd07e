using Microsoft.Extensions.Logging;

namespace Gateway.Integration.Tests.ScaleOut;

/// <summary>Hands every log line (event id and message) to a callback, so a test can count the proxies' switches.</summary>
internal sealed class CapturingLoggerProvider(Action<int, string> sink) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(sink);

    public void Dispose()
    {
    }

    private sealed class Logger(Action<int, string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink(eventId.Id, formatter(state, exception));
    }
}
