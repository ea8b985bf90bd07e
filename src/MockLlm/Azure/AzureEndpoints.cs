namespace Gateway.MockLlm.Azure;

internal static class AzureEndpoints
{
    public static void MapAzure(this IEndpointRouteBuilder app)
    {
    }
}
