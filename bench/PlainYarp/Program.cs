using Yarp.ReverseProxy.Configuration;

// Usage: PlainYarp --urls http://127.0.0.1:PORT --Destination http://127.0.0.1:MOCKPORT
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var destination = builder.Configuration["Destination"] ?? "http://127.0.0.1:5089";

builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "{**catch-all}" } }],
    [new ClusterConfig { ClusterId = "upstream", Destinations = new Dictionary<string, DestinationConfig> { ["d"] = new() { Address = destination } } }]);

var app = builder.Build();
app.MapReverseProxy();
app.Run();
