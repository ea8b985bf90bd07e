namespace Gateway.Proxy.Policies.Authentication;

/// <summary>Authentication log messages (never the key; the reason only).</summary>
internal sealed partial class AuthenticationLog(ILogger<AuthenticationLog> logger)
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Request {RequestId}: API key refused ({Reason})")]
    public partial void Refused(string requestId, AuthenticationResult reason);
}
