using Gateway.Contracts.Errors;
using Microsoft.Extensions.Options;

namespace Gateway.MockLlm.Http;

/// <summary>
/// Accepts any non-empty key in the header the provider uses: OpenAI <c>Authorization: Bearer</c>;
/// Azure <c>api-key</c> (or a Bearer token, as Azure accepts Entra tokens); Anthropic
/// <c>x-api-key</c> (or a Bearer auth token). Off with <c>MockLlm:RequireApiKey=false</c>.
/// </summary>
internal sealed class ApiKeys(IOptions<MockLlmOptions> options)
{
    private readonly bool _required = options.Value.RequireApiKey;

    public void Demand(HttpContext context, Provider provider)
    {
        if (!_required || HasKey(context.Request.Headers, provider)) return;
        var message = provider switch
        {
            Provider.Azure => "Access denied due to missing subscription key. Make sure to include an 'api-key' header.",
            Provider.Anthropic => "x-api-key header is required",
            _ => "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        };
        throw new MockHttpException(StatusCodes.Status401Unauthorized, message);
    }

    public static bool HasBearer(IHeaderDictionary headers)
    {
        var value = headers.Authorization.ToString();
        return value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && !value.AsSpan(7).IsWhiteSpace();
    }

    private static bool HasKey(IHeaderDictionary headers, Provider provider) => provider switch
    {
        Provider.Azure => !string.IsNullOrWhiteSpace(headers[GatewayHeaders.ApiKey]) || HasBearer(headers),
        Provider.Anthropic => !string.IsNullOrWhiteSpace(headers[GatewayHeaders.AnthropicApiKey]) || HasBearer(headers),
        Provider.KServe or Provider.Mock => true,
        _ => HasBearer(headers),
    };
}
