using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Tests.Infrastructure;
using Gateway.Testing;

namespace Gateway.Proxy.Tests;

/// <summary>
/// Bad snapshots, in bulk: the tests' snapshot, mutated at random (<see cref="JsonMutator"/>: a
/// weight, percent or limit of the wrong sign or size, an id left out or repeated, a list emptied,
/// a reference to nothing), offered to a running proxy as a snapshot source would. Each one either
/// does not parse, is refused by the validator with its reasons, or is applied; none may throw,
/// and once applied every kind of request through it (chat plain, streamed and translated,
/// messages, embeddings, inference, the model list, realtime's refusal without an upgrade) gets
/// an answer or a documented error, never a 500 of the gateway's own. What the validator lets
/// through, the request path must be able to serve.
/// The mutations are the same on every run; <c>FUZZ_SEED=n</c> picks another sequence to explore.
/// </summary>
public sealed class MalformedSnapshotTests : IAsyncLifetime
{
    private const int Mutations = 1000;

    private static readonly JsonMutator Mutator = new(
    [
        "revision", "issuedAt", "providers", "id", "kind", "baseUrl", "credentialRef", "apiVersion", "models", "alias",
        "defaultVersion", "versions", "name", "status", "prices", "deployments", "providerId", "upstreamModel", "weight",
        "priority", "canary", "version", "percent", "teams", "subscriptions", "teamId", "modelAlias", "keys", "keyId",
        "secretHash", "expiresAt", "subscriptionIds", "limits", "requestsPerMinute", "tokensPerMinute", "maxConcurrent",
        "budget", "monthlyTokens", "monthlyAmount", "currency", "usage", "tokenizer", "maxOutputTokens", "successor",
        "sunsetAt", "deprecatedAt", "pinnedVersion", "overLimit", "connectTimeoutSeconds", "streamIdleTimeoutSeconds",
    ]);

    private static readonly (HttpMethod Method, string Path, string? Body)[] Requests =
    [
        (HttpMethod.Post, "/v1/chat/completions", """{"model":"chat","messages":[{"role":"user","content":"Hello"}],"max_tokens":20}"""),
        (HttpMethod.Post, "/v1/chat/completions", """{"model":"chat","messages":[{"role":"user","content":"Hello"}],"stream":true}"""),
        (HttpMethod.Post, "/v1/chat/completions", """{"model":"claude","messages":[{"role":"user","content":"Hello"}],"max_tokens":20}"""),
        (HttpMethod.Post, "/v1/messages", """{"model":"claude","max_tokens":20,"messages":[{"role":"user","content":"Hi"}],"stream":true}"""),
        (HttpMethod.Post, "/v1/chat/completions", """{"model":"legacy","messages":[{"role":"user","content":"Hello"}]}"""),
        (HttpMethod.Post, "/openai/deployments/azure-chat/chat/completions?api-version=2024-10-21", """{"messages":[{"role":"user","content":"Hi"}]}"""),
        (HttpMethod.Post, "/v1/embeddings", """{"model":"embed","input":"a"}"""),
        (HttpMethod.Post, "/v2/models/scorer/infer", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1.0]}]}"""),
        (HttpMethod.Get, "/v1/models", null),
        (HttpMethod.Get, "/v1/realtime?model=voice", null),
    ];

    private FakeUpstream _upstream = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _upstream = await SmartUpstream.StartAsync();

    public async ValueTask DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task MutatedSnapshots_AreRefusedOrServed_NeverAFailureOfTheGateway()
    {
        var valid = TestWorld.Snapshot(_upstream.Url, canaryPercent: 50) with
        {
            Teams = [new TeamSpec(TestWorld.TeamId, "Team A", "CC-1") { Limits = new LimitSpec(1_000_000, 1_000_000_000, 100) }],
        };
        valid = valid with { Subscriptions = [.. valid.Subscriptions.Select(s => s with { Budget = new BudgetSpec(1_000_000_000, 1_000_000m, "USD") })] };
        var json = Encoding.UTF8.GetString(SnapshotJson.SerializeToUtf8Bytes(valid));
        await using var proxy = await ProxyHost.StartAsync(valid);
        var random = new Random(JsonMutator.Seed);

        var failures = new ConcurrentQueue<string>();
        int unreadable = 0, refused = 0, applied = 0;
        for (var i = 0; i < Mutations; i++)
        {
            var (text, mutation) = Mutator.Mutate(json, random);
            GatewaySnapshot snapshot;
            try
            {
                snapshot = SnapshotJson.Deserialize(Encoding.UTF8.GetBytes(text));
            }
            catch (JsonException)
            {
                unreadable++;
                continue;
            }
            bool accepted;
            try
            {
                accepted = proxy.Store.TryApply(snapshot, $"fuzz-{i}", out _);
            }
            catch (Exception ex)
            {
                failures.Enqueue($"[{mutation}] applying threw {ex.GetType().Name}: {ex.Message}");
                continue;
            }
            if (!accepted)
            {
                refused++;
                continue;
            }
            applied++;
            foreach (var (method, path, body) in Requests)
            {
                using var message = new HttpRequestMessage(method, path);
                if (body is not null) message.Content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await proxy.Client.SendAsync(message, Ct);
                var answer = await response.Content.ReadAsStringAsync(Ct);
                if ((int)response.StatusCode == 500) failures.Enqueue($"[{mutation}] {method} {path} → 500: {answer}");
            }
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} failures ({applied} applied, {refused} refused, {unreadable} unreadable):\n" + string.Join("\n", failures.Take(15)));
        Assert.True(applied > Mutations / 10 && refused > Mutations / 20, $"the mutations should both pass and fail the validator: {applied} applied, {refused} refused, {unreadable} unreadable");
    }
}
