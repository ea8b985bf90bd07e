using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Providers.Translation;
using Gateway.Proxy.Snapshots;

namespace Gateway.Proxy.Providers;

/// <summary>
/// Plans the upstream call for a deployment's provider kind: OpenAI and OpenAI-compatible
/// (vLLM, Ollama) get the body with the upstream model substituted; Azure OpenAI gets its
/// deployment path, <c>api-version</c> and <c>api-key</c>; Anthropic gets Messages (translated from
/// chat when the client speaks OpenAI); OpenAI-style upstreams get chat translated from Messages
/// when the client speaks Anthropic; KServe v2 gets the inference path.
/// </summary>
internal static class ProviderAdapter
{
    public const string DefaultAzureApiVersion = "2024-10-21";
    public const string AnthropicVersion = "2023-06-01";
    private const int DefaultAnthropicMaxTokens = 4096;

    /// <summary>The plan, or a <see cref="TranslationException"/> when this provider kind cannot serve the request.</summary>
    public static UpstreamPlan Plan(GatewayRequest request, CompiledDeployment deployment, string? clientApiVersion)
    {
        var provider = deployment.Provider;
        var operation = request.Operation;
        return provider.Kind switch
        {
            ProviderKind.OpenAI or ProviderKind.OpenAICompatible or ProviderKind.AzureOpenAI => PlanOpenAI(request, deployment, clientApiVersion),
            ProviderKind.Anthropic when operation is GatewayOperation.Messages or GatewayOperation.ChatCompletions => PlanAnthropic(request, deployment),
            ProviderKind.KServeV2 when operation == GatewayOperation.Inference => new UpstreamPlan
            {
                Url = Cached(deployment, operation, static d => $"{d.Provider.BaseUrl}/v2/models/{Uri.EscapeDataString(d.UpstreamModel)}/infer"),
                Body = request.Body,
                AuthHeader = provider.Credential.Secret is null ? null : "Authorization",
                AuthValue = provider.Credential.BearerHeader,
            },
            _ => throw Unsupported(request, provider),
        };
    }

    private static UpstreamPlan PlanOpenAI(GatewayRequest request, CompiledDeployment deployment, string? clientApiVersion)
    {
        var provider = deployment.Provider;
        var azure = provider.Kind == ProviderKind.AzureOpenAI;
        var path = request.Operation switch
        {
            GatewayOperation.ChatCompletions or GatewayOperation.Messages => "chat/completions",
            GatewayOperation.Completions => "completions",
            GatewayOperation.Embeddings => "embeddings",
            GatewayOperation.Responses => "responses",
            _ => throw Unsupported(request, provider),
        };
        Uri url;
        if (azure)
        {
            string Build(string? version)
            {
                var escaped = Uri.EscapeDataString(version ?? provider.Spec.ApiVersion ?? DefaultAzureApiVersion);
                return request.Operation == GatewayOperation.Responses
                    ? $"{provider.BaseUrl}/openai/responses?api-version={escaped}"
                    : $"{provider.BaseUrl}/openai/deployments/{Uri.EscapeDataString(deployment.UpstreamModel)}/{path}?api-version={escaped}";
            }
            url = clientApiVersion is not null ? new Uri(Build(clientApiVersion)) : deployment.UriCache[(int)request.Operation] ??= new Uri(Build(null));
        }
        else
        {
            url = deployment.UriCache[(int)request.Operation] ??= new Uri($"{provider.BaseUrl}/v1/{path}");
        }

        ReadOnlyMemory<byte> body;
        var translation = ResponseTranslation.None;
        var strip = false;
        if (request.Operation == GatewayOperation.Messages)
        {
            body = MessagesToChatRequest.Translate(request.Body, deployment.UpstreamModel);
            translation = ResponseTranslation.ChatToAnthropic;
        }
        else
        {
            var info = request.BodyInfo;
            var inject = info.Stream && !info.IncludeUsage && request.Operation is GatewayOperation.ChatCompletions or GatewayOperation.Completions;
            body = BodyRewriter.Rewrite(request.Body, info, deployment.UpstreamModelJson, setModel: true, injectUsage: inject);
            strip = inject;
        }
        return new UpstreamPlan
        {
            Url = url,
            Body = body,
            Translation = translation,
            StripUsageChunk = strip,
            AuthHeader = provider.Credential.Secret is null ? null : azure ? "api-key" : "Authorization",
            AuthValue = azure ? provider.Credential.Secret : provider.Credential.BearerHeader,
        };
    }

    private static UpstreamPlan PlanAnthropic(GatewayRequest request, CompiledDeployment deployment)
    {
        var provider = deployment.Provider;
        ReadOnlyMemory<byte> body;
        var translation = ResponseTranslation.None;
        if (request.Operation == GatewayOperation.ChatCompletions)
        {
            var maxTokens = request.Version?.Spec.MaxOutputTokens ?? DefaultAnthropicMaxTokens;
            body = ChatToMessagesRequest.Translate(request.Body, deployment.UpstreamModel, maxTokens);
            translation = ResponseTranslation.AnthropicToChat;
        }
        else
        {
            body = BodyRewriter.Rewrite(request.Body, request.BodyInfo, deployment.UpstreamModelJson, setModel: true, injectUsage: false);
        }
        return new UpstreamPlan
        {
            Url = Cached(deployment, request.Operation, static d => $"{d.Provider.BaseUrl}/v1/messages"),
            Body = body,
            Translation = translation,
            AnthropicUpstream = true,
            AuthHeader = provider.Credential.Secret is null ? null : "x-api-key",
            AuthValue = provider.Credential.Secret,
        };
    }

    private static Uri Cached(CompiledDeployment deployment, GatewayOperation operation, Func<CompiledDeployment, string> build) =>
        deployment.UriCache[(int)operation] ??= new Uri(build(deployment));

    private static TranslationException Unsupported(GatewayRequest request, CompiledProvider provider) =>
        new($"The model '{request.RequestedModel}' is served by a provider that does not support this endpoint.", "model");
}
