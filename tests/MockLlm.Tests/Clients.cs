using System.ClientModel;
using System.ClientModel.Primitives;
using Anthropic;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Responses;

namespace Gateway.MockLlm.Tests;

/// <summary>The official SDKs pointed at MockLlm, with retries off so a forced error surfaces at once.</summary>
public static class Clients
{
    public static OpenAIClientOptions OpenAIOptions(MockLlmHost host, string? requestId = null)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(host.BaseAddress, "/v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        if (requestId is not null) options.AddPolicy(new HeaderPolicy("x-request-id", requestId), PipelinePosition.PerCall);
        return options;
    }

    public static ChatClient Chat(MockLlmHost host, string model = "gpt-4o", string? requestId = null) =>
        new(model, new ApiKeyCredential(MockLlmHost.Key), OpenAIOptions(host, requestId));

    public static EmbeddingClient Embeddings(MockLlmHost host, string model = "text-embedding-3-small") =>
        new(model, new ApiKeyCredential(MockLlmHost.Key), OpenAIOptions(host));

    public static ResponsesClient Responses(MockLlmHost host, string? requestId = null)
    {
        var options = new ResponsesClientOptions
        {
            Endpoint = new Uri(host.BaseAddress, "/v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        if (requestId is not null) options.AddPolicy(new HeaderPolicy("x-request-id", requestId), PipelinePosition.PerCall);
        return new ResponsesClient(new ApiKeyCredential(MockLlmHost.Key), options);
    }

    public static AnthropicClient Anthropic(MockLlmHost host, string? requestId = null, params (string Name, string Value)[] headers)
    {
        var http = new HttpClient(new HeaderHandler(requestId, headers) { InnerHandler = new SocketsHttpHandler() });
        return new AnthropicClient
        {
            ApiKey = MockLlmHost.Key,
            BaseUrl = host.BaseAddress.ToString().TrimEnd('/'),
            MaxRetries = 0,
            HttpClient = http,
        };
    }

    /// <summary>Adds a header to every request the OpenAI pipeline sends.</summary>
    public sealed class HeaderPolicy(string name, string value) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set(name, value);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set(name, value);
            await ProcessNextAsync(message, pipeline, currentIndex);
        }
    }

    private sealed class HeaderHandler(string? requestId, (string Name, string Value)[] headers) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (requestId is not null) request.Headers.TryAddWithoutValidation("x-request-id", requestId);
            foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
