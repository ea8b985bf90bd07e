using System.Text.Json;
using Gateway.Contracts.Errors;
using Gateway.Proxy.Relay;

namespace Gateway.Proxy.Pipeline;

/// <summary>
/// Writes every gateway error in OpenAI's shape <c>{"error":{"message","type","param","code"}}</c>
/// with the status of its code; for Anthropic-format clients (<c>/v1/messages</c>) the body also
/// carries <c>"type":"error"</c> at the top so Anthropic's SDK parses it too.
/// </summary>
internal static class GatewayErrorWriter
{
    public static Task WriteAsync(HttpContext context, string code, string message, string? param = null, RelayOutcome outcome = RelayOutcome.Rejected)
    {
        var request = context.Features.Get<GatewayRequest>();
        if (request is not null)
        {
            request.ErrorCode = code;
            request.Complete(outcome);
        }
        if (context.Response.HasStarted)
        {
            // Too late for a status line: break the connection so the client sees a failure, not a short success.
            context.Abort();
            return Task.CompletedTask;
        }
        context.Response.StatusCode = GatewayErrorCodes.StatusOf(code);
        context.Response.ContentType = "application/json";
        context.Response.Headers.ContentLength = null;
        var anthropic = request?.ClientFormat == ClientFormat.Anthropic;
        var body = Serialize(code, message, param, anthropic);
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    public static byte[] Serialize(string code, string message, string? param, bool anthropicShape)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Providers.Translation.JsonWriting.Options))
        {
            writer.WriteStartObject();
            if (anthropicShape) writer.WriteString("type"u8, "error"u8);
            writer.WriteStartObject("error"u8);
            writer.WriteString("message"u8, message);
            writer.WriteString("type"u8, GatewayErrorCodes.TypeOf(code));
            if (param is null) writer.WriteNull("param"u8);
            else writer.WriteString("param"u8, param);
            writer.WriteString("code"u8, code);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
