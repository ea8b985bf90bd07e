using Gateway.AppHost;

// The default run: everything on this machine, nothing external. SQLite under ./data, in-process
// counters, MockLlm as the upstream, seeded demo users and the demo key (see README.md).
var builder = DistributedApplication.CreateBuilder(args);
var ports = DefaultRunPorts.From(builder.Configuration);
var dataDir = DefaultRunPaths.DataDirectory(builder.AppHostDirectory);

var mockLlm = builder.AddProject<Projects.MockLlm>("mockllm", launchProfileName: null)
    .WithHttpEndpoint(port: ports.MockLlm, name: "http", isProxied: false)
    .WithHttpHealthCheck("/health");

var controlPlane = builder.AddProject<Projects.ControlPlane>("controlplane", launchProfileName: null)
    .WithHttpEndpoint(port: ports.ControlPlane, name: "http", isProxied: false)
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
    .WithEnvironment("ControlPlane__DataDirectory", Path.Combine(dataDir, "controlplane"))
    .WithHttpHealthCheck("/health");

var proxy = builder.AddProject<Projects.Proxy>("proxy", launchProfileName: null)
    .WithHttpEndpoint(port: ports.Proxy, name: "http", isProxied: false)
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
    .WithEnvironment("Proxy__DataDirectory", Path.Combine(dataDir, "proxy"))
    .WithEnvironment("Proxy__DefaultRun__Enabled", "true")
    .WithEnvironment("Proxy__DefaultRun__MockLlmUrl", mockLlm.GetEndpoint("http"))
    // MockLlm accepts any non-empty key; this one only stands in for a provider credential.
    .WithEnvironment("MOCKLLM_API_KEY", "mock-upstream-key")
    .WithHttpHealthCheck("/health")
    .WaitFor(mockLlm);

builder.AddProject<Projects.Portal>("portal", launchProfileName: null)
    .WithHttpEndpoint(port: ports.Portal, name: "http", isProxied: false)
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
    .WithEnvironment("Portal__ControlPlaneUrl", controlPlane.GetEndpoint("http"))
    .WithEnvironment("Portal__ProxyUrl", proxy.GetEndpoint("http"))
    .WithHttpHealthCheck("/health")
    .WaitFor(controlPlane);

DefaultRunBanner.Print(ports, dataDir);
builder.Build().Run();
