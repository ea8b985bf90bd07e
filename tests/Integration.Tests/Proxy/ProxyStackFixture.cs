using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Contracts.Demo;
using Gateway.Contracts.Keys;
using Gateway.Contracts.Snapshot;
using Gateway.MockLlm;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Snapshots;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;

namespace Gateway.Integration.Tests.Proxy;

/// <summary>
/// The real thing, in-process on 127.0.0.1 port 0: MockLlm, a second MockLlm that answers every
/// model request with 503, and the proxy on the default run's demo catalog (MockLlm as every
/// provider) plus a fail-over alias and a key with a single subscription.
/// </summary>
public sealed class ProxyStackFixture : IAsyncLifetime
{
    public const string RestrictedKeyId = "restrict0001";
    public const string FailoverAlias = "gpt-4o-failover";
    public static readonly string RestrictedKey = ApiKeyFormat.Compose(RestrictedKeyId, "RestrictedKeyForIntegrationTests00000000");

    private WebApplication _mock = null!;
    private WebApplication _failing = null!;
    private WebApplication _proxy = null!;
    private string _dataDirectory = null!;

    public Uri MockLlm { get; private set; } = null!;

    public Uri FailingMockLlm { get; private set; } = null!;

    public Uri Proxy { get; private set; } = null!;

    internal SnapshotStore Store => _proxy.Services.GetRequiredService<SnapshotStore>();

    public async ValueTask InitializeAsync()
    {
        Environment.SetEnvironmentVariable(DemoCatalog.MockCredentialEnv, "mock-upstream-key");
        (_mock, MockLlm) = await StartMockAsync([]);
        (_failing, FailingMockLlm) = await StartMockAsync(["--MockLlm:Status=503"]);

        _dataDirectory = Directory.CreateTempSubdirectory("proxy-integration-").FullName;
        _proxy = ProxyApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Proxy:DataDirectory"] = _dataDirectory });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await _proxy.StartAsync(TestContext.Current.CancellationToken);
        Proxy = new Uri(Address(_proxy));
        if (!Store.TryApply(Snapshot(MockLlm.ToString(), FailingMockLlm.ToString()), "test", out var errors))
            throw new InvalidOperationException(string.Join("; ", errors));
    }

    private static async Task<(WebApplication, Uri)> StartMockAsync(string[] args)
    {
        var app = MockLlmApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production", .. args],
            b => b.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync(TestContext.Current.CancellationToken);
        return (app, new Uri(Address(app)));
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>The demo catalog, plus <see cref="FailoverAlias"/> (a 503 deployment first) and a key subscribed to embeddings only.</summary>
    private static GatewaySnapshot Snapshot(string mockLlm, string failing)
    {
        var demo = DemoCatalog.Snapshot(mockLlm);
        var failover = new ModelSpec(FailoverAlias, ModelKind.Chat, "gpt-4o-failover-1",
        [
            new ModelVersionSpec("gpt-4o-failover-1", VersionStatus.Ga, new PriceSpec(1m, 0.5m, 2m, "USD"),
            [
                new DeploymentSpec("failover-broken", "mockllm-failing", "gpt-4o", Priority: 0),
                new DeploymentSpec("failover-healthy", DemoCatalog.OpenAIProvider, "gpt-4o", Priority: 1),
            ]),
            new ModelVersionSpec("gpt-4o-failover-0", VersionStatus.Retired, new PriceSpec(1m, 0.5m, 2m, "USD"), []),
        ]);
        var failoverSubscription = new SubscriptionSpec("sub-demo-failover", DemoCatalog.TeamId, FailoverAlias);
        var demoKey = demo.Keys[0];
        return demo with
        {
            Revision = 100,
            Providers = [.. demo.Providers, new ProviderSpec("mockllm-failing", ProviderKind.OpenAI, failing.TrimEnd('/'), $"env:{DemoCatalog.MockCredentialEnv}")],
            Models = [.. demo.Models, failover],
            Subscriptions = [.. demo.Subscriptions, failoverSubscription],
            Keys =
            [
                demoKey with { SubscriptionIds = [.. demoKey.SubscriptionIds, failoverSubscription.Id] },
                new ApiKeySpec(RestrictedKeyId, ApiKeyFormat.HashToHex(RestrictedKey), DemoCatalog.TeamId, "restricted",
                    new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero), [DemoCatalog.SubscriptionId("text-embedding-3-small")]),
            ],
        };
    }

    /// <summary>OpenAI SDK options aimed at the proxy, retries off, with a fixed request id when given.</summary>
    public OpenAIClientOptions OpenAIOptions(string? requestId = null, params (string Name, string Value)[] headers)
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(Proxy, "/v1"), RetryPolicy = new ClientRetryPolicy(maxRetries: 0) };
        if (requestId is not null) options.AddPolicy(new HeaderPolicy("x-request-id", requestId), PipelinePosition.PerCall);
        foreach (var (name, value) in headers) options.AddPolicy(new HeaderPolicy(name, value), PipelinePosition.PerCall);
        return options;
    }

    public Anthropic.AnthropicClient Anthropic(string key = DemoKeys.Key, string? requestId = null, params (string Name, string Value)[] headers) => new()
    {
        ApiKey = key,
        BaseUrl = Proxy.ToString().TrimEnd('/'),
        MaxRetries = 0,
        HttpClient = new HttpClient(new HeaderHandler(requestId, headers) { InnerHandler = new SocketsHttpHandler() }),
    };

    /// <summary>MockLlm's tally for a request id, once the request is no longer in flight.</summary>
    public async Task<JsonElement> TallyAsync(string requestId, Uri? mock = null)
    {
        using var http = new HttpClient { BaseAddress = mock ?? MockLlm };
        for (var i = 0; ; i++)
        {
            var entry = await http.GetFromJsonAsync<JsonElement>($"/_mock/tally/{requestId}", TestContext.Current.CancellationToken);
            if (entry.GetProperty("in_flight").GetInt32() == 0 || i == 100) return entry;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _failing.DisposeAsync();
        await _mock.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class HeaderPolicy(string name, string value) : PipelinePolicy
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

[CollectionDefinition(Name)]
public sealed class ProxyStackCollection : ICollectionFixture<ProxyStackFixture>
{
    public const string Name = "proxy-stack";
}
