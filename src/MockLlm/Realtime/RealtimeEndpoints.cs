using System.Net.WebSockets;
using Gateway.Contracts.Errors;
using Gateway.MockLlm.Http;

namespace Gateway.MockLlm.Realtime;

/// <summary>
/// <c>GET /v1/realtime?model=…</c> upgraded to a WebSocket. The key comes in
/// <c>Authorization: Bearer</c> or as the <c>openai-insecure-api-key.&lt;key&gt;</c> subprotocol; when
/// the client offers subprotocols, <c>realtime</c> is selected if offered. The upgrade request's
/// <c>x-mock-*</c> headers shape every response of the session.
/// </summary>
internal static class RealtimeEndpoints
{
    public const string Endpoint = "realtime";
    private const string RealtimeProtocol = "realtime";

    public static void MapRealtime(this IEndpointRouteBuilder app) => app.MapGet("/v1/realtime", HandleAsync);

    private static async Task HandleAsync(HttpContext context)
    {
        var core = context.RequestServices.GetRequiredService<MockLlmCore>();
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw new MockHttpException(StatusCodes.Status400BadRequest, "/v1/realtime expects a WebSocket upgrade request.");
        }
        var offered = context.WebSockets.WebSocketRequestedProtocols;
        if (core.Options.RequireApiKey && !ApiKeys.HasBearer(context.Request.Headers) && !HasKeyProtocol(offered))
        {
            throw new MockHttpException(StatusCodes.Status401Unauthorized,
                "You didn't provide an API key. Use 'Authorization: Bearer YOUR_KEY' or the 'openai-insecure-api-key.YOUR_KEY' subprotocol.");
        }
        var model = context.Request.Query["model"].ToString();
        if (model.Length == 0)
        {
            throw new MockHttpException(StatusCodes.Status400BadRequest, "Missing required parameter: 'model'.", "model", "missing_required_parameter");
        }
        var knobs = core.Knobs(context);
        if (await core.TryForcedErrorAsync(context, Provider.OpenAI, knobs, Endpoint, model, streamed: true)) return;

        string? protocol = null;
        foreach (var candidate in offered)
        {
            if (string.Equals(candidate, RealtimeProtocol, StringComparison.Ordinal)) protocol = RealtimeProtocol;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = protocol });
        var tally = core.Tally.Begin(context, Endpoint, model, streamed: true);
        var session = new RealtimeSession(context, socket, core, knobs, tally, model);
        await session.RunAsync();
    }

    private static bool HasKeyProtocol(IList<string> protocols)
    {
        foreach (var protocol in protocols)
        {
            if (protocol.StartsWith(GatewayHeaders.WebSocketKeyProtocolPrefix, StringComparison.Ordinal)
                && protocol.Length > GatewayHeaders.WebSocketKeyProtocolPrefix.Length)
            {
                return true;
            }
        }
        return false;
    }
}
