using System.Collections.Concurrent;
using System.Text;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Policies.ModelResolution;
using Gateway.Proxy.Relay;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Tests.Infrastructure;

/// <summary>One proxy in front of one <see cref="SmartUpstream"/>, shared by the pipeline tests.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    internal FakeUpstream Upstream { get; private set; } = null!;

    internal ProxyHost Proxy { get; private set; } = null!;

    /// <summary>Observers attached (when a request sends <c>x-test-observe</c>) by request id.</summary>
    internal ConcurrentDictionary<string, RecordingObserver> Observed { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Upstream = await SmartUpstream.StartAsync();
        Proxy = await ProxyHost.StartAsync(TestWorld.Snapshot(Upstream.Url), appendPolicies: app => app.Use((context, next) =>
        {
            if (context.Request.Headers.ContainsKey("x-test-observe"))
            {
                var request = context.GetGatewayRequest();
                var recorder = new RecordingObserver();
                request.AddObserver(recorder);
                Observed[request.RequestId] = recorder;
            }
            return next(context);
        }));
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    /// <summary>The last request the upstream saw carrying <paramref name="requestId"/>.</summary>
    internal RecordedRequest UpstreamRequest(string requestId) =>
        Upstream.Requests.Last(r => r.Header("x-request-id") == requestId);

    /// <summary>A request id whose canary bucket does (or does not) select the 10 % canary.</summary>
    public static string RequestId(bool canary = false)
    {
        for (var i = 0; ; i++)
        {
            var id = "req-" + Guid.NewGuid().ToString("N");
            if (ModelResolver.CanaryBucket(id) < 1000 == canary) return id;
        }
    }
}

/// <summary>Records what the relay reports.</summary>
internal sealed class RecordingObserver : IRelayObserver
{
    private readonly StringBuilder _text = new();

    public List<TokenUsage> Usage { get; } = [];

    public string Text
    {
        get
        {
            lock (_text) return _text.ToString();
        }
    }

    public TaskCompletionSource<RelayOutcome> Completed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void OnUsage(in TokenUsage usage)
    {
        lock (Usage) Usage.Add(usage);
    }

    public void OnText(ReadOnlySpan<char> text)
    {
        lock (_text) _text.Append(text);
    }

    public void OnCompleted(RelayOutcome outcome) => Completed.TrySetResult(outcome);
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
