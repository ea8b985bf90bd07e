namespace Gateway.Proxy.Policies.Authentication;

/// <summary>Authentication log messages (never the key; the reason only).</summary>
internal sealed partial class AuthenticationLog(ILogger<AuthenticationLog> logger)
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Request {RequestId}: API key refused ({Reason})")]
    public partial void Refused(string requestId, AuthenticationResult reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Request {RequestId}: API key {KeyId} used from {Address}, outside its allowed networks: refused")]
    public partial void RefusedNetwork(string requestId, string keyId, string address);
}
