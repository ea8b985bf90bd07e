namespace Gateway.Portal.Components.Shared;

internal static partial class Log
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Error, Message = "Unhandled error in a portal page")]
    public static partial void Unexpected(ILogger logger, Exception exception);
}
