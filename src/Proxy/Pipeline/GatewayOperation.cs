namespace Gateway.Proxy.Pipeline;

/// <summary>What a gateway route does; set from the endpoint's metadata.</summary>
internal enum GatewayOperation
{
    ChatCompletions,
    Completions,
    Embeddings,
    Responses,
    Messages,
    Realtime,
    Inference,
    Models,
}

/// <summary>The wire format the client speaks (decides translation and the error body's shape).</summary>
internal enum ClientFormat
{
    OpenAI,
    AzureOpenAI,
    Anthropic,
    KServeV2,
}

/// <summary>Endpoint metadata of a gateway route.</summary>
internal sealed record GatewayRoute(GatewayOperation Operation, ClientFormat Format, string Method, string? ModelRouteValue = null);

internal static class GatewayOperationNames
{
    /// <summary>The operation's name in usage records (<c>chat</c>, <c>completions</c>, …).</summary>
    public static string UsageName(this GatewayOperation operation) => operation switch
    {
        GatewayOperation.ChatCompletions => "chat",
        GatewayOperation.Completions => "completions",
        GatewayOperation.Embeddings => "embeddings",
        GatewayOperation.Responses => "responses",
        GatewayOperation.Messages => "messages",
        GatewayOperation.Realtime => "realtime",
        GatewayOperation.Inference => "inference",
        _ => "models",
    };

    /// <summary>The OpenTelemetry <c>gen_ai.operation.name</c>.</summary>
    public static string GenAiName(this GatewayOperation operation) => operation switch
    {
        GatewayOperation.ChatCompletions or GatewayOperation.Messages or GatewayOperation.Realtime => "chat",
        GatewayOperation.Completions => "text_completion",
        GatewayOperation.Embeddings => "embeddings",
        GatewayOperation.Responses => "generate_content",
        GatewayOperation.Inference => "inference",
        _ => "list_models",
    };
}
