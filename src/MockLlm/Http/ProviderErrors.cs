using System.Globalization;
using System.Text.Json;

namespace Gateway.MockLlm.Http;

/// <summary>
/// Error bodies in each provider's own shape:
/// OpenAI <c>{"error":{"message","type","param","code"}}</c>, Azure <c>{"error":{"code","message"}}</c>,
/// Anthropic <c>{"type":"error","error":{"type","message"}}</c>, KServe v2 <c>{"error":"..."}</c>.
/// </summary>
internal static class ProviderErrors
{
    public static async Task WriteAsync(HttpContext context, Provider provider, int status, string message,
        string? param = null, string? code = null, int? retryAfterSeconds = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        if (status == StatusCodes.Status429TooManyRequests || retryAfterSeconds is not null)
        {
            response.Headers.RetryAfter = (retryAfterSeconds ?? 1).ToString(CultureInfo.InvariantCulture);
        }

        var json = new Utf8JsonWriter(response.BodyWriter, JsonWriting.Options);
        await using (json.ConfigureAwait(false))
        {
            switch (provider)
            {
                case Provider.Anthropic:
                    json.WriteStartObject();
                    json.WriteString("type"u8, "error"u8);
                    json.WriteStartObject("error"u8);
                    json.WriteString("type"u8, AnthropicType(status));
                    json.WriteString("message"u8, message);
                    json.WriteEndObject();
                    json.WriteEndObject();
                    break;
                case Provider.Azure:
                    json.WriteStartObject();
                    json.WriteStartObject("error"u8);
                    json.WriteString("code"u8, code ?? AzureCode(status));
                    json.WriteString("message"u8, message);
                    if (param is not null) json.WriteString("param"u8, param);
                    json.WriteEndObject();
                    json.WriteEndObject();
                    break;
                case Provider.KServe:
                    json.WriteStartObject();
                    json.WriteString("error"u8, message);
                    json.WriteEndObject();
                    break;
                default:
                    json.WriteStartObject();
                    json.WriteStartObject("error"u8);
                    json.WriteString("message"u8, message);
                    json.WriteString("type"u8, OpenAIType(status));
                    if (param is null) json.WriteNull("param"u8); else json.WriteString("param"u8, param);
                    var openAICode = code ?? OpenAICode(status);
                    if (openAICode is null) json.WriteNull("code"u8); else json.WriteString("code"u8, openAICode);
                    json.WriteEndObject();
                    json.WriteEndObject();
                    break;
            }
            await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    public static string OpenAIType(int status) => status switch
    {
        401 => "invalid_request_error",
        403 => "permission_error",
        429 => "requests",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    private static string? OpenAICode(int status) => status switch
    {
        401 => "invalid_api_key",
        404 => "not_found",
        405 => "method_not_allowed",
        429 => "rate_limit_exceeded",
        >= 500 => "server_error",
        _ => null,
    };

    public static string AnthropicType(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };

    private static string AzureCode(int status) => status switch
    {
        400 => "BadRequest",
        405 => "MethodNotAllowed",
        500 => "InternalServerError",
        503 => "ServiceUnavailable",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The message a forced error (<c>x-mock-status</c>) carries.</summary>
    public static string ForcedMessage(int status) => status switch
    {
        429 => "Rate limit reached (forced by x-mock-status).",
        500 => "The server had an error while processing your request (forced by x-mock-status).",
        503 => "The service is temporarily unavailable (forced by x-mock-status).",
        _ => $"Error {status.ToString(CultureInfo.InvariantCulture)} forced by x-mock-status.",
    };
}
