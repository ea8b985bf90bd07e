using Gateway.AppHost;
using Microsoft.Extensions.Configuration;

// The default run: everything on this machine, nothing external. SQLite under ./data, in-process
// counters, MockLlm as the upstream, seeded demo users and the demo key (see README.md). The
// control plane feeds the proxy over gRPC (signed snapshots) and receives its usage.
var builder = DistributedApplication.CreateBuilder(args);
var ports = DefaultRunPorts.From(builder.Configuration);
var dataDir = DefaultRunPaths.DataDirectory(builder.AppHostDirectory);
// Four eyes on catalog, provider and role changes (a second platform admin approves): off unless asked for.
var requireSecondAdmin = builder.Configuration.GetValue("ChangeControl:RequireSecondAdmin", false);
var proxySecret = builder.AddParameter("proxy-client-secret", () => DefaultRunSecrets.ProxyClientSecret(dataDir), secret: true);

var mockLlm = builder.AddProject<Projects.MockLlm>("mockllm", launchProfileName: null)
    .WithHttpEndpoint(port: ports.MockLlm, name: "http", isProxied: false)
    .WithHttpHealthCheck("/health");

// gRPC gets its own HTTP/2-only port (no TLS on the default run); it stays out of ASPNETCORE_URLS.
var controlPlane = builder.AddProject<Projects.ControlPlane>("controlplane", launchProfileName: null)
    .WithHttpEndpoint(port: ports.ControlPlane, name: "http", isProxied: false)
    .WithEndpoint(port: ports.ControlPlaneGrpc, scheme: "http", name: "grpc", isProxied: false)
    .WithEndpointsInEnvironment(e => e.Name != "grpc")
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
    .WithEnvironment("ControlPlane__DataDirectory", Path.Combine(dataDir, "controlplane"))
    .WithEnvironment("ControlPlane__DefaultRun__MockLlmUrl", mockLlm.GetEndpoint("http"))
    .WithEnvironment("ControlPlane__DefaultRun__ProxyClientSecret", proxySecret)
    .WithEnvironment("ControlPlane__ChangeControl__RequireSecondAdmin", requireSecondAdmin ? "true" : "false")
    .WithHttpHealthCheck("/health");
controlPlane.WithEnvironment("ControlPlane__GrpcUrl", controlPlane.GetEndpoint("grpc"));

var proxy = builder.AddProject<Projects.Proxy>("proxy", launchProfileName: null)
    .WithHttpEndpoint(port: ports.Proxy, name: "http", isProxied: false)
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
    .WithEnvironment("Proxy__DataDirectory", Path.Combine(dataDir, "proxy"))
    .WithEnvironment("Proxy__ControlPlane__GrpcUrl", controlPlane.GetEndpoint("grpc"))
    .WithEnvironment("Proxy__ControlPlane__Authority", controlPlane.GetEndpoint("http"))
    .WithEnvironment("Proxy__ControlPlane__ClientSecret", proxySecret)
    .WithEnvironment("Proxy__Usage__Shipper", "Grpc")
    .WithEnvironment("Proxy__ControlPlane__LocalLedgerCopy", "true")
    // MockLlm accepts any non-empty key; this one only stands in for a provider credential.
    .WithEnvironment("MOCKLLM_API_KEY", "mock-upstream-key")
    .WithHttpHealthCheck("/health")
    .WaitFor(mockLlm)
    .WaitFor(controlPlane);

var portal = builder.AddProject<Projects.Portal>("portal", launchProfileName: null)
    .WithHttpEndpoint(port: ports.Portal, name: "http", isProxied: false)
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
    .WithEnvironment("Portal__ControlPlaneUrl", controlPlane.GetEndpoint("http"))
    .WithEnvironment("Portal__ProxyUrl", proxy.GetEndpoint("http"))
    .WithHttpHealthCheck("/health")
    .WaitFor(controlPlane);
// The portal's OAuth redirect URIs follow its port (sign-in works when Ports:Portal is moved).
controlPlane.WithEnvironment("ControlPlane__DefaultRun__PortalUrl", portal.GetEndpoint("http"));

DefaultRunBanner.Print(ports, dataDir);
builder.Build().Run();
