using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.ControlPlane.Infrastructure;

/// <summary>
/// gRPC needs HTTP/2, and without TLS Kestrel can only speak HTTP/2 on an HTTP/2-only endpoint
/// (no ALPN to negotiate). With <c>ControlPlane:GrpcUrl</c> set (e.g. <c>http://localhost:5083</c>),
/// the control plane listens there with HTTP/2 only, beside its usual URLs (then HTTP/1.1 only).
/// Behind TLS (production ingress) it is not needed: HTTPS endpoints negotiate HTTP/2.
/// </summary>
internal static class GrpcListener
{
    public static WebApplicationBuilder AddGrpcListener(this WebApplicationBuilder builder)
    {
        var grpcUrl = builder.Configuration["ControlPlane:GrpcUrl"];
        if (string.IsNullOrWhiteSpace(grpcUrl)) return builder;

        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) ?? builder.Configuration["urls"];
        var main = string.IsNullOrWhiteSpace(urls) ? ["http://localhost:5000"] : urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var endpoint = new GrpcEndpoint();
        builder.Services.AddSingleton(endpoint);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var url in main) Listen(kestrel, url, HttpProtocols.Http1, null);
            Listen(kestrel, grpcUrl, HttpProtocols.Http2, endpoint);
        });
        return builder;
    }

    private static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols, GrpcEndpoint? endpoint)
    {
        var address = BindingAddress.Parse(url);
        if (address.Scheme != "http")
            throw new InvalidOperationException($"'{url}': with ControlPlane:GrpcUrl set, configure HTTPS endpoints through Kestrel:Endpoints instead.");
        void Configure(ListenOptions o)
        {
            o.Protocols = protocols;
            if (endpoint is not null) endpoint.Listen = o;
        }
        if (address.Host is "localhost") kestrel.ListenLocalhost(address.Port, Configure);
        else if (address.Host is "*" or "+" or "0.0.0.0" or "[::]") kestrel.ListenAnyIP(address.Port, Configure);
        else kestrel.Listen(IPAddress.Parse(address.Host.Trim('[', ']')), address.Port, Configure);
    }
}

/// <summary>The HTTP/2-only gRPC endpoint, once bound (its port, when configured as 0).</summary>
internal sealed class GrpcEndpoint
{
    public ListenOptions? Listen { get; set; }

    public int? Port => Listen?.IPEndPoint?.Port;
}
