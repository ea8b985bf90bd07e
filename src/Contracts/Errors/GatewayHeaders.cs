namespace Gateway.Contracts.Errors;

/// <summary>Header names the gateway reads or writes.</summary>
public static class GatewayHeaders
{
    public const string RequestId = "x-request-id";
    public const string ModelVersion = "x-gateway-model-version";
    public const string Deployment = "x-gateway-deployment";

    /// <summary>On a response to a request the version's content guard redacted: what it replaced, e.g. <c>payment-card=1, pattern=2</c>.</summary>
    public const string Redacted = "x-gateway-redacted";
    public const string Deprecation = "Deprecation";
    public const string Sunset = "Sunset";
    public const string RetryAfter = "Retry-After";
    public const string LimitRequests = "x-ratelimit-limit-requests";
    public const string RemainingRequests = "x-ratelimit-remaining-requests";
    public const string ResetRequests = "x-ratelimit-reset-requests";
    public const string LimitTokens = "x-ratelimit-limit-tokens";
    public const string RemainingTokens = "x-ratelimit-remaining-tokens";
    public const string ResetTokens = "x-ratelimit-reset-tokens";
    public const string ApiKey = "api-key";
    public const string AnthropicApiKey = "x-api-key";
    public const string WebSocketKeyProtocolPrefix = "openai-insecure-api-key.";
}
