using Gateway.Contracts.Errors;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Providers;
using Gateway.Proxy.Relay;
using Gateway.Proxy.Snapshots;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Forwarding;

/// <summary>
/// YARP's hook for one upstream attempt. Request side: the provider's URL, credential and request
/// id replace the client's key and identity headers. Response side: a retryable status (429, 5xx)
/// is discarded when another deployment may still be tried; otherwise the gateway takes over the
/// body copy (<see cref="ResponseRelay"/> or <see cref="ErrorRelay"/>) and YARP copies nothing.
/// </summary>
internal sealed class GatewayTransformer(
    GatewayRequest request,
    CompiledDeployment deployment,
    UpstreamPlan plan,
    bool canRetry,
    ResponseRelay relay,
    ErrorRelay errors) : HttpTransformer
{
    // The caller's credentials, cookies, encodings, forwarding and OpenAI account headers never
    // reach a provider: the gateway's own credential, request id and body replace them. The
    // forwarding headers include what the bank's ingress adds (ingress-nginx: the client's address,
    // the original host, port, scheme and URI): an external provider learns nothing of the bank's
    // network or its callers' addresses.
    private static readonly string[] CallerOnlyHeaders =
    [
        HeaderNames.Authorization, "api-key", "x-api-key", HeaderNames.Cookie, HeaderNames.AcceptEncoding,
        GatewayHeaders.RequestId, "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
        "X-Forwarded-Port", "X-Forwarded-Scheme", "X-Forwarded-Prefix", "X-Original-Forwarded-For", "X-Original-URI",
        "X-Real-IP", "X-Scheme", "X-Client-IP", "True-Client-IP",
        "OpenAI-Organization", "OpenAI-Project",
    ];

    private static readonly HeaderFilter CallerOnly = new(CallerOnlyHeaders);

    /// <summary>For a provider that is not Anthropic, Anthropic's version headers go too.</summary>
    private static readonly HeaderFilter CallerOnlyNotAnthropic = new([.. CallerOnlyHeaders, "anthropic-version", "anthropic-beta"]);

    /// <summary>The provider's cookies, account, request id and rate-limit headers never reach the client (the gateway sends its own).</summary>
    internal static readonly HeaderFilter ProviderOnly = new(
    [
        HeaderNames.SetCookie, "openai-organization", "openai-project", "request-id", GatewayHeaders.RequestId,
        "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
        "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens",
        "anthropic-ratelimit-requests-limit", "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-requests-reset",
        "anthropic-ratelimit-tokens-limit", "anthropic-ratelimit-tokens-remaining", "anthropic-ratelimit-tokens-reset",
        "anthropic-ratelimit-input-tokens-limit", "anthropic-ratelimit-input-tokens-remaining", "anthropic-ratelimit-input-tokens-reset",
        "anthropic-ratelimit-output-tokens-limit", "anthropic-ratelimit-output-tokens-remaining", "anthropic-ratelimit-output-tokens-reset",
    ]);

    /// <summary>What happened on this attempt's response side.</summary>
    public AttemptResult Result { get; private set; }

    /// <summary>The upstream status, once a response arrived.</summary>
    public int UpstreamStatus { get; private set; }

    /// <summary>How the relay ended (when <see cref="Result"/> is <see cref="AttemptResult.Relayed"/>).</summary>
    public RelayResult Relay { get; private set; }

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.RequestUri = plan.Url;
        proxyRequest.Headers.Host = null;
        var anthropic = deployment.Provider.Kind == Contracts.Snapshot.ProviderKind.Anthropic;
        (anthropic ? CallerOnly : CallerOnlyNotAnthropic).RemoveFrom(proxyRequest.Headers);
        if (anthropic && !proxyRequest.Headers.Contains("anthropic-version"))
            proxyRequest.Headers.TryAddWithoutValidation("anthropic-version", ProviderAdapter.AnthropicVersion);
        if (plan.AuthHeader is { } header) proxyRequest.Headers.TryAddWithoutValidation(header, plan.AuthValue);
        proxyRequest.Headers.TryAddWithoutValidation(GatewayHeaders.RequestId, request.RequestId);
        if (proxyRequest.Content is { } content && (plan.Translation != ResponseTranslation.None || content.Headers.ContentType is null))
        {
            content.Headers.Remove(HeaderNames.ContentType);
            content.Headers.TryAddWithoutValidation(HeaderNames.ContentType, "application/json");
        }
        proxyRequest.Options.Set(UpstreamInvoker.ConnectTimeout, deployment.Provider.ConnectTimeout);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is null) return false; // YARP reports the transport error; the forwarder decides
        var status = (int)proxyResponse.StatusCode;
        UpstreamStatus = status;
        if ((status == 429 || status >= 500) && canRetry)
        {
            Result = AttemptResult.RetryableStatus;
            return false;
        }
        if (status >= 400)
        {
            Result = AttemptResult.ErrorRelayed;
            await errors.RelayAsync(httpContext, request, plan, proxyResponse, deployment.Provider.StreamIdleTimeout);
            return false;
        }

        await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        var headers = httpContext.Response.Headers;
        ProviderOnly.RemoveCopiesOf(proxyResponse.Headers, headers);
        if (plan.Translation != ResponseTranslation.None || plan.StripUsageChunk) headers.ContentLength = null;

        Result = AttemptResult.Relayed;
        var body = await proxyResponse.Content.ReadAsStreamAsync(httpContext.RequestAborted);
        Relay = await relay.RelayAsync(httpContext, request, plan, proxyResponse, body, deployment.Provider.StreamIdleTimeout);
        return false;
    }
}

/// <summary>The response side of one attempt.</summary>
internal enum AttemptResult
{
    /// <summary>No response (connect error, timeout, cancellation): see YARP's error.</summary>
    NoResponse,

    /// <summary>429 or 5xx discarded so that another deployment can be tried.</summary>
    RetryableStatus,

    /// <summary>An upstream error status was answered to the client.</summary>
    ErrorRelayed,

    /// <summary>A success status; the body was relayed (see <see cref="GatewayTransformer.Relay"/>).</summary>
    Relayed,
}
