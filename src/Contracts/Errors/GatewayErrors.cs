namespace Gateway.Contracts.Errors;

/// <summary>
/// Error codes the gateway answers with, in OpenAI's error body
/// <c>{"error":{"message","type","param","code"}}</c>. The status each one goes with is in
/// <see cref="StatusOf"/>.
/// </summary>
public static class GatewayErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidJson = "invalid_json";
    public const string MissingModel = "missing_model";
    public const string InvalidApiKey = "invalid_api_key";
    public const string ModelNotAllowed = "model_not_allowed";

    /// <summary>The key may not be used from the caller's address (its <c>allowedNetworks</c>): 403.</summary>
    public const string IpNotAllowed = "ip_not_allowed";
    public const string ModelNotFound = "model_not_found";

    /// <summary>The model version's content guard found what it blocks (a card number, an IBAN, a credential, a pattern): 400.</summary>
    public const string ContentPolicyViolation = "content_policy_violation";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string ModelRetired = "model_retired";
    public const string RequestTooLarge = "request_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string RateLimitExceeded = "rate_limit_exceeded";
    public const string InsufficientQuota = "insufficient_quota";
    public const string UpstreamError = "upstream_error";
    public const string UpstreamUnavailable = "upstream_unavailable";
    public const string GatewayUnavailable = "gateway_unavailable";
    public const string UpstreamTimeout = "upstream_timeout";

    /// <summary>A fault in the gateway itself (a bug, never bad input): 500.</summary>
    public const string InternalError = "internal_error";

    /// <summary>The HTTP status that goes with a code.</summary>
    public static int StatusOf(string code) => code switch
    {
        InvalidRequest or InvalidJson or MissingModel or ContentPolicyViolation => 400,
        InvalidApiKey => 401,
        ModelNotAllowed or IpNotAllowed => 403,
        ModelNotFound or NotFound => 404,
        MethodNotAllowed => 405,
        ModelRetired => 410,
        RequestTooLarge => 413,
        UnsupportedMediaType => 415,
        RateLimitExceeded or InsufficientQuota => 429,
        UpstreamError => 502,
        UpstreamUnavailable or GatewayUnavailable => 503,
        UpstreamTimeout => 504,
        _ => 500,
    };

    /// <summary>The OpenAI error <c>type</c> that goes with a code.</summary>
    public static string TypeOf(string code) => code switch
    {
        InvalidApiKey => "invalid_request_error",
        ModelNotAllowed or IpNotAllowed => "permission_error",
        InsufficientQuota => "insufficient_quota",
        RateLimitExceeded => "rate_limit_error",
        UpstreamError or UpstreamUnavailable or UpstreamTimeout => "upstream_error",
        GatewayUnavailable or InternalError => "server_error",
        _ => "invalid_request_error",
    };
}
