using Gateway.Contracts.Errors;
using Gateway.Proxy.Catalog;
using Gateway.Proxy.Forwarding;
using Gateway.Proxy.Policies.Authentication;
using Gateway.Proxy.Realtime;

namespace Gateway.Proxy.Pipeline;

/// <summary>
/// The gateway's routes and the pipeline behind them. Every model route runs the same pipeline:
/// the entry (route, method, snapshot, span, metrics), the policies given by the caller in order,
/// then the forwarder (HTTP) or the realtime relay (WebSocket). <c>/v1/models</c> needs only the
/// key. Anything else is a 404 in the gateway's error shape.
/// </summary>
internal static class GatewayEndpoints
{
    public static WebApplication MapGateway(this WebApplication app, Action<IApplicationBuilder> policies)
    {
        var forwarder = app.Services.GetRequiredService<UpstreamForwarder>();
        var realtime = app.Services.GetRequiredService<RealtimeRelay>();

        var gateway = ((IEndpointRouteBuilder)app).CreateApplicationBuilder();
        gateway.UseMiddleware<GatewayEntryMiddleware>();
        policies(gateway);
        gateway.Run(context => context.GetGatewayRequest().Operation == GatewayOperation.Realtime
            ? realtime.InvokeAsync(context)
            : forwarder.InvokeAsync(context));
        var pipeline = gateway.Build();

        var catalog = ((IEndpointRouteBuilder)app).CreateApplicationBuilder();
        catalog.UseMiddleware<GatewayEntryMiddleware>();
        catalog.UseGatewayAuthentication();
        catalog.Run(ModelsEndpoint.InvokeAsync);
        var models = catalog.Build();

        const string Post = "POST", Get = "GET";
        Map(app, "/v1/chat/completions", pipeline, new(GatewayOperation.ChatCompletions, ClientFormat.OpenAI, Post));
        Map(app, "/v1/completions", pipeline, new(GatewayOperation.Completions, ClientFormat.OpenAI, Post));
        Map(app, "/v1/embeddings", pipeline, new(GatewayOperation.Embeddings, ClientFormat.OpenAI, Post));
        Map(app, "/v1/responses", pipeline, new(GatewayOperation.Responses, ClientFormat.OpenAI, Post));
        Map(app, "/v1/messages", pipeline, new(GatewayOperation.Messages, ClientFormat.Anthropic, Post));
        Map(app, "/v1/realtime", pipeline, new(GatewayOperation.Realtime, ClientFormat.OpenAI, Get, "model"));
        Map(app, "/openai/deployments/{deployment}/chat/completions", pipeline, new(GatewayOperation.ChatCompletions, ClientFormat.AzureOpenAI, Post, "deployment"));
        Map(app, "/openai/deployments/{deployment}/completions", pipeline, new(GatewayOperation.Completions, ClientFormat.AzureOpenAI, Post, "deployment"));
        Map(app, "/openai/deployments/{deployment}/embeddings", pipeline, new(GatewayOperation.Embeddings, ClientFormat.AzureOpenAI, Post, "deployment"));
        Map(app, "/openai/realtime", pipeline, new(GatewayOperation.Realtime, ClientFormat.AzureOpenAI, Get, "deployment"));
        Map(app, "/v2/models/{name}/infer", pipeline, new(GatewayOperation.Inference, ClientFormat.KServeV2, Post, "name"));
        Map(app, "/v1/models", models, new(GatewayOperation.Models, ClientFormat.OpenAI, Get));
        Map(app, "/v1/models/{model}", models, new(GatewayOperation.Models, ClientFormat.OpenAI, Get));
        app.MapFallback(static context => GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.NotFound,
            $"Unknown path {context.Request.Path}. The gateway serves /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/responses, /v1/messages, /v1/realtime, /v1/models, /openai/deployments/{{deployment}}/… and /v2/models/{{name}}/infer."));
        return app;
    }

    private static void Map(WebApplication app, string pattern, RequestDelegate pipeline, GatewayRoute route) =>
        app.Map(pattern, pipeline).WithMetadata(route).WithDisplayName($"gateway {route.Method} {pattern}");
}
