using System.Diagnostics;
using Gateway.Contracts.Errors;
using Gateway.Proxy.Relay;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Telemetry;

namespace Gateway.Proxy.Pipeline;

/// <summary>
/// Entry of the gateway pipeline: takes the route from the endpoint, checks the method, pins the
/// snapshot for the request (503 while there is none), opens the request's span and, at the end,
/// records its metrics and <c>gen_ai.*</c> attributes.
/// </summary>
internal sealed class GatewayEntryMiddleware(RequestDelegate next, SnapshotStore store, ProxyTelemetry telemetry, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        var route = context.GetEndpoint()?.Metadata.GetMetadata<GatewayRoute>();
        if (route is null)
        {
            await GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.NotFound, $"Unknown path {context.Request.Path}.");
            return;
        }
        request.Route = route;
        if (!HttpMethods.Equals(context.Request.Method, route.Method))
        {
            context.Response.Headers.Allow = route.Method;
            await GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.MethodNotAllowed, $"{context.Request.Method} is not allowed on {context.Request.Path}; use {route.Method}.");
            return;
        }

        using var activity = ProxyTelemetry.ActivitySource.StartActivity($"gateway {route.Operation.GenAiName()}", ActivityKind.Internal);
        var snapshot = store.Current;
        if (snapshot is null)
        {
            await GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.GatewayUnavailable, "The gateway has no configuration yet; retry shortly.");
            Record(context, request, activity);
            return;
        }
        request.Snapshot = snapshot;
        try
        {
            await next(context);
        }
        finally
        {
            if (request.Outcome == RelayOutcome.None)
                request.Complete(context.RequestAborted.IsCancellationRequested ? RelayOutcome.ClientAborted : RelayOutcome.Completed);
            Record(context, request, activity);
        }
    }

    private void Record(HttpContext context, GatewayRequest request, Activity? activity)
    {
        var status = context.Response.StatusCode;
        var reason = request.ErrorCode ?? (request.Outcome == RelayOutcome.Completed ? "ok" : OutcomeName(request.Outcome));
        var version = request.Version?.Name ?? "none";
        var operation = request.Operation.GenAiName();
        var elapsed = time.GetElapsedTime(request.StartTimestamp).TotalSeconds;

        var tags = new TagList
        {
            { "gen_ai.operation.name", operation },
            { "gen_ai.response.model", version },
            { "http.response.status_code", ProxyTelemetry.StatusTag(status) },
            { "gateway.reason", reason },
        };
        telemetry.Requests.Add(1, tags);
        var latencyTags = new TagList { { "gen_ai.operation.name", operation }, { "gen_ai.response.model", version } };
        telemetry.Duration.Record(elapsed, latencyTags);
        if (request.FirstByteTimestamp is { } first && request.Version is not null)
            telemetry.TimeToFirstToken.Record(time.GetElapsedTime(request.StartTimestamp, first).TotalSeconds, latencyTags);

        if (activity is null) return;
        activity.SetTag("gen_ai.operation.name", operation);
        activity.SetTag("gateway.request_id", request.RequestId);
        if (request.RequestedModel is { } requested) activity.SetTag("gen_ai.request.model", requested);
        if (request.Version is { } v) activity.SetTag("gen_ai.response.model", v.Name);
        if (request.Deployment is { } d)
        {
            activity.SetTag("gen_ai.provider.name", ProviderName(d.Provider.Kind));
            activity.SetTag("gateway.deployment", d.Id);
            activity.SetTag("server.address", d.Provider.BaseUrl);
        }
        if (request.Team is { } team) activity.SetTag("gateway.team", team.Id);
        if (request.Key is { } key) activity.SetTag("gateway.key_id", key.KeyId);
        activity.SetTag("gateway.attempts", request.Attempts);
        activity.SetTag("gen_ai.request.stream", request.Streamed);
        if (request.Usage is { } usage)
        {
            activity.SetTag("gen_ai.usage.input_tokens", usage.InputTokens);
            activity.SetTag("gen_ai.usage.output_tokens", usage.OutputTokens);
        }
        activity.SetTag("http.response.status_code", status);
        if (request.ErrorCode is { } code)
        {
            activity.SetTag("error.type", code);
            if (status >= 500) activity.SetStatus(ActivityStatusCode.Error, code);
        }
    }

    private static string OutcomeName(RelayOutcome outcome) => outcome switch
    {
        RelayOutcome.ClientAborted => "client_aborted",
        RelayOutcome.UpstreamDropped => "upstream_dropped",
        RelayOutcome.UpstreamError => "upstream_error",
        RelayOutcome.Rejected => "rejected",
        _ => "ok",
    };

    private static string ProviderName(Contracts.Snapshot.ProviderKind kind) => kind switch
    {
        Contracts.Snapshot.ProviderKind.OpenAI => "openai",
        Contracts.Snapshot.ProviderKind.AzureOpenAI => "azure.ai.openai",
        Contracts.Snapshot.ProviderKind.Anthropic => "anthropic",
        Contracts.Snapshot.ProviderKind.OpenAICompatible => "openai_compatible",
        _ => "kserve",
    };
}
