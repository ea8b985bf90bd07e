using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Testing;

/// <summary>
/// Where a started control-plane host listens: its HTTP address (the one that is not its HTTP/2
/// gRPC listener) and its gRPC address. Linked into the test projects that host a control plane.
/// </summary>
internal static class ControlPlaneAddresses
{
    public static Uri Http(WebApplication app)
    {
        var grpcPort = app.Services.GetRequiredService<GrpcEndpoint>().Port;
        return new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => !a.EndsWith($":{grpcPort}", StringComparison.Ordinal)));
    }

    public static Uri Grpc(WebApplication app) => new($"http://127.0.0.1:{app.Services.GetRequiredService<GrpcEndpoint>().Port}");
}
