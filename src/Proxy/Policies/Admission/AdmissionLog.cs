namespace Gateway.Proxy.Policies.Admission;

internal sealed partial class AdmissionLog(ILogger<AdmissionLog> logger)
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Request {RequestId} refused by the {Scope} {Limit} limit ({LimitValue})")]
    public partial void Denied(string requestId, string scope, string limit, long limitValue);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Request {RequestId}: output clamped to {MaxTokens} tokens by subscription {Subscription}")]
    public partial void Clamped(string requestId, string subscription, long maxTokens);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Budget of subscription {Subscription}: a new settled figure ({Tokens} tokens) replaces {LocalTokens} tokens counted here")]
    public partial void BaselineAdvanced(string subscription, long tokens, long localTokens);
}
