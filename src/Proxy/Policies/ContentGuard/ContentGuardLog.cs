namespace Gateway.Proxy.Policies.ContentGuard;

/// <summary>What the content guard did, for the bank's security monitoring: who, which version and what kinds, never the text found.</summary>
internal sealed partial class ContentGuardLog(ILogger<ContentGuardLog> logger)
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning,
        Message = "Request {RequestId}: the content guard of {Version} blocked a request with key {KeyId} of team {TeamId}: {Findings}, first in {Path}")]
    public partial void Blocked(string requestId, string version, string keyId, string teamId, string findings, string path);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information,
        Message = "Request {RequestId}: the content guard of {Version} redacted a request with key {KeyId} of team {TeamId}: {Findings}")]
    public partial void Redacted(string requestId, string version, string keyId, string teamId, string findings);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error, Message = "Request {RequestId}: the redacted body for {Version} was not valid JSON; the request was refused")]
    public partial void RedactionFailed(string requestId, string version);
}
