namespace Gateway.MockLlm.OpenAI;

internal static class OpenAIEndpoints
{
    public static void MapOpenAI(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat/completions", ChatCompletionsEndpoint.HandleAsync);
        app.MapPost("/v1/completions", CompletionsEndpoint.HandleAsync);
        app.MapPost("/v1/embeddings", EmbeddingsEndpoint.HandleAsync);
        app.MapPost("/v1/responses", ResponsesEndpoint.HandleAsync);
        app.MapGet("/v1/models", ModelsEndpoint.ListAsync);
        app.MapGet("/v1/models/{model}", ModelsEndpoint.GetAsync);
    }
}
