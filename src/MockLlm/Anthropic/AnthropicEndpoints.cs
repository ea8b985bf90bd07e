namespace Gateway.MockLlm.Anthropic;

internal static class AnthropicEndpoints
{
    public static void MapAnthropic(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/messages", MessagesEndpoint.HandleAsync);
    }
}
