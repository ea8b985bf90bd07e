using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace Gateway.ControlPlane.Features.Identity;

/// <summary>
/// Without a configured issuer OpenIddict takes each request's own base URL; a token issued on
/// the main port would then not validate on the gRPC port. When a separate gRPC listener is in
/// use and no issuer is configured, the issuer is the first main address the server bound.
/// </summary>
internal sealed class IssuerFromServer(IServer server, IServiceProvider services) : IPostConfigureOptions<OpenIddictServerOptions>
{
    public void PostConfigure(string? name, OpenIddictServerOptions options)
    {
        if (options.Issuer is not null) return;
        var grpcPort = services.GetService<GrpcEndpoint>()?.Port;
        if (grpcPort is null) return;
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var main = addresses.FirstOrDefault(a => !a.EndsWith($":{grpcPort}", StringComparison.Ordinal));
        if (main is not null) options.Issuer = new Uri(main.TrimEnd('/') + "/");
    }
}
