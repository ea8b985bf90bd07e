namespace Gateway.MockLlm.Realtime;

internal static class RealtimeEndpoints
{
    public static void MapRealtime(this IEndpointRouteBuilder app)
    {
    }
}
