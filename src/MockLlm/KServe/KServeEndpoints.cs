namespace Gateway.MockLlm.KServe;

internal static class KServeEndpoints
{
    public static void MapKServe(this IEndpointRouteBuilder app)
    {
    }
}
