namespace Gateway.MockLlm.OpenAI;

internal static class OpenAIEndpoints
{
    public static void MapOpenAI(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat/completions", ChatCompletionsEndpoint.HandleAsync);
    }
}
