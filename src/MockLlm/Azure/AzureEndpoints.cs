using Gateway.MockLlm.Http;
using Gateway.MockLlm.OpenAI;

namespace Gateway.MockLlm.Azure;

/// <summary>
/// Azure OpenAI's deployment routes. The deployment name stands in for the model; the key comes in
/// <c>api-key</c>; <c>?api-version=</c> is required (400 in Azure's error shape without it). The
/// bodies are OpenAI's, answered by the same handlers.
/// </summary>
internal static class AzureEndpoints
{
    public static void MapAzure(this IEndpointRouteBuilder app)
    {
        app.MapPost("/openai/deployments/{deployment}/chat/completions", context =>
            ChatCompletionsEndpoint.HandleAsync(context, Provider.Azure, Deployment(context)));
        app.MapPost("/openai/deployments/{deployment}/embeddings", context =>
            EmbeddingsEndpoint.HandleAsync(context, Provider.Azure, Deployment(context)));
    }

    private static string Deployment(HttpContext context)
    {
        context.RequestServices.GetRequiredService<MockLlmCore>().Keys.Demand(context, Provider.Azure);
        var apiVersion = context.Request.Query["api-version"];
        if (apiVersion.Count != 1 || string.IsNullOrWhiteSpace(apiVersion[0]))
        {
            throw new MockHttpException(StatusCodes.Status400BadRequest,
                "Missing or invalid 'api-version' query parameter. Add ?api-version=2024-10-21 (or another supported version).",
                "api-version", "BadRequest");
        }
        return (string)context.Request.RouteValues["deployment"]!;
    }
}
