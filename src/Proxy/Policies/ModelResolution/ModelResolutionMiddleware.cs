using Gateway.Contracts.Errors;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Pipeline;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Policies.ModelResolution;

/// <summary>
/// Policy 2: reads and checks the body (413 over the limit, 400 for malformed JSON or a missing
/// model), finds the model (from the body, or the path for Azure-style, v2 and realtime routes),
/// and resolves alias → version for the key's subscription (404, 403, 410).
/// </summary>
internal sealed class ModelResolutionMiddleware(RequestDelegate next, IOptions<ProxyOptions> options, TimeProvider time, ModelResolutionLog log)
{
    private const int MaxModelNameLength = 256;
    private readonly long _bodyLimit = options.Value.MaxRequestBodyBytes;

    // Not an async method: the rest of the pipeline is returned, not awaited, so a request whose
    // body is already buffered (the common case) passes through without a state machine of its own.
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        var route = request.Route!;
        if (route.Operation == GatewayOperation.Realtime)
        {
            request.SetBody(ReadOnlyMemory<byte>.Empty, RequestBodyInfo.Empty);
            return Continue(context, request, route);
        }
        var read = RequestBodyReader.ReadAsync(context, _bodyLimit);
        return read.IsCompletedSuccessfully ? WithBody(context, request, route, read.Result) : WithBodyAsync(context, request, route, read);
    }

    private async Task WithBodyAsync(HttpContext context, GatewayRequest request, GatewayRoute route, ValueTask<ReadOnlyMemory<byte>?> read) =>
        await WithBody(context, request, route, await read);

    private Task WithBody(HttpContext context, GatewayRequest request, GatewayRoute route, ReadOnlyMemory<byte>? body)
    {
        if (body is not { } bytes)
        {
            return GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.RequestTooLarge,
                $"The request body exceeds the gateway's limit of {_bodyLimit} bytes.");
        }
        var jsonPart = InferenceHeaderLength(context, bytes.Length) is { } headerLength ? bytes[..headerLength] : bytes;
        if (!RequestBodyInspector.TryInspect(jsonPart.Span, out var info, out var error))
            return GatewayErrorWriter.WriteAsync(context, error.Code, error.Message, error.Param);
        request.SetBody(bytes, info);
        return Continue(context, request, route);
    }

    private Task Continue(HttpContext context, GatewayRequest request, GatewayRoute route)
    {
        if (Resolve(context, request, route) is { } failure)
            return GatewayErrorWriter.WriteAsync(context, failure.Code, failure.Message, failure.Param);
        return next(context);
    }

    /// <summary>Resolves the model into <paramref name="request"/>; the error to answer, or null.</summary>
    private BodyError? Resolve(HttpContext context, GatewayRequest request, GatewayRoute route)
    {
        string? fromRoute = null;
        if (route.ModelRouteValue is { } name)
        {
            fromRoute = route.Operation == GatewayOperation.Realtime
                ? context.Request.Query[name].ToString()
                : context.Request.RouteValues[name] as string;
            if (string.IsNullOrEmpty(fromRoute))
                return new BodyError(GatewayErrorCodes.MissingModel, $"You must name a model in '{name}'.", name);
        }
        else if (!request.BodyInfo.HasModel)
        {
            return new BodyError(GatewayErrorCodes.MissingModel, "You must provide a model parameter.", "model");
        }

        Span<char> buffer = stackalloc char[MaxModelNameLength];
        scoped ReadOnlySpan<char> requested;
        if (fromRoute is not null) requested = fromRoute;
        else if (RequestBodyInspector.TryCopyModel(request.Body.Span, request.BodyInfo, buffer, out var written)) requested = buffer[..written];
        else requested = [];
        if (requested.IsEmpty)
            return new BodyError(GatewayErrorCodes.ModelNotFound, "The model does not exist or you do not have access to it.", "model");

        var result = ModelResolver.Resolve(request.Snapshot!, request.Key!, requested, request.RequestId, time.GetUtcNow(), out var resolution);
        request.RequestedModel = NameOf(requested, resolution, fromRoute);
        var param = route.ModelRouteValue ?? "model";
        if (result != ResolutionResult.Success)
        {
            log.Refused(request.RequestId, request.RequestedModel, result);
            if (result == ResolutionResult.Retired) request.Version = resolution.Version;
            return result switch
            {
                ResolutionResult.NotFound => new BodyError(GatewayErrorCodes.ModelNotFound, $"The model '{request.RequestedModel}' does not exist or you do not have access to it.", param),
                ResolutionResult.NotAllowed => new BodyError(GatewayErrorCodes.ModelNotAllowed, $"Your key is not subscribed to the model '{request.RequestedModel}'. Request access in the portal.", param),
                ResolutionResult.SubscriptionEnded => new BodyError(GatewayErrorCodes.ModelNotAllowed, $"Your team's subscription to '{resolution.Model.Alias}' has ended.", param),
                _ => new BodyError(GatewayErrorCodes.ModelRetired, RetiredMessage(resolution.Version), param),
            };
        }

        request.Model = resolution.Model;
        request.Version = resolution.Version;
        request.Subscription = resolution.Subscription;
        request.Selection = resolution.Selection;
        if (!ModelResolver.Serves(resolution.Model.Kind, route.Operation))
        {
            return new BodyError(GatewayErrorCodes.InvalidRequest,
                $"The model '{request.RequestedModel}' is a {KindName(resolution.Model.Kind)} model; it does not serve {context.Request.Path}.", param);
        }
        return null;
    }

    /// <summary>The requested name as a string, reusing the snapshot's instance when it is the alias or version name.</summary>
    private static string NameOf(ReadOnlySpan<char> requested, in ModelResolution resolution, string? fromRoute)
    {
        if (resolution.Model is { } model && requested.SequenceEqual(model.Alias)) return model.Alias;
        if (resolution.Version is { } version && requested.SequenceEqual(version.Name)) return version.Name;
        return fromRoute ?? requested.ToString();
    }

    private static string RetiredMessage(Snapshots.CompiledVersion version) => version.Spec.Successor is { } successor
        ? $"The model version '{version.Name}' is retired; use '{successor}' instead."
        : $"The model version '{version.Name}' is retired.";

    private static string KindName(Contracts.Snapshot.ModelKind kind) => kind switch
    {
        Contracts.Snapshot.ModelKind.Chat => "chat",
        Contracts.Snapshot.ModelKind.Embeddings => "embeddings",
        Contracts.Snapshot.ModelKind.Realtime => "realtime",
        _ => "inference",
    };

    /// <summary>KServe's binary extension: only the first <c>Inference-Header-Content-Length</c> bytes are JSON.</summary>
    private static int? InferenceHeaderLength(HttpContext context, int bodyLength) =>
        context.Request.Headers["Inference-Header-Content-Length"] is { Count: 1 } value
        && int.TryParse(value[0], out var length) && length >= 0 && length <= bodyLength ? length : null;
}
