using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Contracts.Demo;
using Gateway.Contracts.Errors;
using Gateway.Contracts.Keys;
using Gateway.Contracts.Usage;
using Gateway.Integration.Tests.ControlPlaneFeed;
using Gateway.Integration.Tests.Metering;
using Gateway.Integration.Tests.Proxy;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Policies.Admission;
using Gateway.Testing;
using Gateway.Testing.Redis;
using OpenAI;
using OpenAI.Chat;
using StackExchange.Redis;

namespace Gateway.Integration.Tests.Published;

/// <summary>
/// The proxy as its images ship it (<see cref="PublishedProxyBuild"/>: the default image's trimmed
/// self-contained build and the Native AOT one), run as a child process with the image's runtime
/// settings, on a snapshot file with MockLlm in-process as every provider, and held to what the
/// in-process build does: JSON and streamed chat with their usage in the local ledger, translation
/// between the OpenAI and Anthropic formats, the documented errors, options validation and
/// configuration binding at start, prompt token counts from the vocabularies it loads by assembly
/// name, the YAML and last-known-good snapshot paths, health and Prometheus metrics, the OpenAI SDK,
/// a realtime WebSocket session, shared counters in a real Redis, and the control plane's gRPC feed
/// and usage ingestion with its OIDC client credentials. Trimming removes what nothing references
/// statically, so each of these is a path that reflection or configuration could have lost. Each
/// test starts its own proxy on a fresh data directory.
/// </summary>
public abstract partial class PublishedProxyTests(PublishedProxyBuild build) : IAsyncLifetime
{
    private const string NodeId = "published-node";

    private readonly List<ProxyProcess> _started = [];
    private ChildProxyWorld _world = null!;
    private FeedFixture? _feed;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _world = await ChildProxyWorld.StartAsync("proxy-published-test-");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var proxy in _started) await proxy.DisposeAsync();
        if (_feed is not null) await _feed.DisposeAsync();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task Chat_AnswersWithChoicesAndUsage_AndTheLedgerHoldsItOnce_WithMockLlmsFigures()
    {
        var proxy = await StartProxyAsync();
        var id = NewId("json");
        using var http = Client(proxy);

        using var response = await http.SendAsync(Post("/v1/chat/completions",
            """{"model":"gpt-4o","max_tokens":16,"messages":[{"role":"user","content":"Hello from the published build"}]}""", id), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(id, Header(response, GatewayHeaders.RequestId));
        var version = Header(response, GatewayHeaders.ModelVersion);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        var message = body.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.False(string.IsNullOrWhiteSpace(message.GetProperty("content").GetString()));
        var usage = body.GetProperty("usage");
        var prompt = usage.GetProperty("prompt_tokens").GetInt64();
        var completion = usage.GetProperty("completion_tokens").GetInt64();
        var tally = await TallyAsync(id);
        Assert.Equal(tally.GetProperty("prompt_tokens").GetInt64(), prompt);
        Assert.Equal(tally.GetProperty("completion_tokens").GetInt64(), completion);
        Assert.InRange(completion, 1, 16);

        Assert.Equal(0, await proxy.TerminateAsync());

        var record = Assert.Single(MeteringWorld.ReadLedger(_world.DataDirectory));
        Assert.Equal(id, record.RequestId);
        Assert.Equal(NodeId, record.ProxyNode);
        Assert.Equal(DemoKeys.KeyId, record.KeyId);
        Assert.Equal(DemoCatalog.TeamId, record.TeamId);
        Assert.Equal(DemoCatalog.SubscriptionId("gpt-4o"), record.SubscriptionId);
        Assert.Equal("gpt-4o", record.ModelAlias);
        Assert.Equal(version, record.ModelVersion);
        Assert.Equal("chat", record.Operation);
        Assert.False(record.Streamed);
        Assert.False(record.Estimated);
        Assert.Equal(UsageOutcomes.Completed, record.Outcome);
        Assert.Equal(200, record.Status);
        Assert.Equal(prompt, record.InputTokens);
        Assert.Equal(0, record.CachedInputTokens);
        Assert.Equal(completion, record.OutputTokens);
        var prices = DemoCatalog.Models.SelectMany(m => m.Versions).Single(v => v.Name == version).Prices;
        Assert.Equal(prices.Currency, record.Currency);
        Assert.Equal(((prompt * prices.InputPerMillion) + (completion * prices.OutputPerMillion)) / 1_000_000m, record.Cost);
        Assert.Empty(Directory.GetFiles(Path.Combine(_world.DataDirectory, "spool")));
    }

    [Theory]
    [InlineData("gpt-4o", false, "chat.completions")]
    [InlineData("gpt-4o", true, "chat.completions")]
    [InlineData("claude-sonnet", false, "anthropic.messages")]
    [InlineData("claude-sonnet", true, "anthropic.messages")]
    public async Task Streaming_RelaysChunksEndingInDone_AndTheLedgerHoldsTheStreamsUsage(string model, bool includeUsage, string upstreamEndpoint)
    {
        var proxy = await StartProxyAsync();
        var id = NewId("stream");
        var streamOptions = includeUsage ? ""","stream_options":{"include_usage":true}""" : "";
        using var http = Client(proxy);

        using var response = await http.SendAsync(Post("/v1/chat/completions",
            $$"""{"model":"{{model}}","stream":true{{streamOptions}},"messages":[{"role":"user","content":"Tell me a story"}]}""", id),
            HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await ReadSseDataAsync(response);
        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal(1, events.Count(e => e == "[DONE]"));
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.True(chunks.Count > 3, $"only {chunks.Count} chunks");
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        var text = string.Concat(chunks
            .Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String ? content.GetString() : ""));
        Assert.False(string.IsNullOrWhiteSpace(text));
        var usageChunks = chunks.Where(c => c.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object).ToList();
        var tally = await TallyAsync(id);
        Assert.True(tally.GetProperty("streamed").GetBoolean());
        Assert.Equal(upstreamEndpoint, tally.GetProperty("endpoint").GetString());
        var prompt = tally.GetProperty("prompt_tokens").GetInt64();
        var completion = tally.GetProperty("completion_tokens").GetInt64();
        if (includeUsage)
        {
            var usage = Assert.Single(usageChunks).GetProperty("usage");
            Assert.Equal(prompt, usage.GetProperty("prompt_tokens").GetInt64());
            Assert.Equal(completion, usage.GetProperty("completion_tokens").GetInt64());
        }
        else
        {
            Assert.Empty(usageChunks); // the proxy asked upstream for usage and dropped the extra chunk
        }

        Assert.Equal(0, await proxy.TerminateAsync());

        var record = Assert.Single(MeteringWorld.ReadLedger(_world.DataDirectory));
        Assert.Equal(id, record.RequestId);
        Assert.Equal(model, record.ModelAlias);
        Assert.True(record.Streamed);
        Assert.False(record.Estimated);
        Assert.Equal(UsageOutcomes.Completed, record.Outcome);
        Assert.Equal(prompt, record.InputTokens);
        Assert.Equal(completion, record.OutputTokens);
        Assert.True(completion > 0);
        Assert.NotNull(record.TimeToFirstTokenMs);
    }

    [Fact]
    public async Task Translation_MessagesToAnOpenAIModel_AndChatToAClaudeModel()
    {
        var proxy = await StartProxyAsync();
        using var http = Client(proxy);
        var messagesId = NewId("messages");
        var chatId = NewId("chat-claude");

        using var messages = Post("/v1/messages", """{"model":"gpt-4o","max_tokens":100,"messages":[{"role":"user","content":"Hello"}]}""", messagesId, key: null);
        messages.Headers.Add("x-api-key", DemoKeys.Key);
        messages.Headers.Add("anthropic-version", "2023-06-01");
        using var messagesResponse = await http.SendAsync(messages, Ct);
        var messagesText = await messagesResponse.Content.ReadAsStringAsync(Ct);
        using var chatResponse = await http.SendAsync(Post("/v1/chat/completions",
            """{"model":"claude-sonnet","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello Claude"}]}""", chatId), Ct);
        var chatText = await chatResponse.Content.ReadAsStringAsync(Ct);

        Assert.True(messagesResponse.StatusCode == HttpStatusCode.OK, $"{(int)messagesResponse.StatusCode}: {messagesText}");
        var anthropic = JsonDocument.Parse(messagesText).RootElement;
        Assert.Equal("message", anthropic.GetProperty("type").GetString());
        Assert.Equal("assistant", anthropic.GetProperty("role").GetString());
        Assert.Equal("text", anthropic.GetProperty("content")[0].GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(anthropic.GetProperty("content")[0].GetProperty("text").GetString()));
        var messagesTally = await TallyAsync(messagesId);
        Assert.Equal("chat.completions", messagesTally.GetProperty("endpoint").GetString());
        Assert.Equal(messagesTally.GetProperty("prompt_tokens").GetInt64(), anthropic.GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Equal(messagesTally.GetProperty("completion_tokens").GetInt64(), anthropic.GetProperty("usage").GetProperty("output_tokens").GetInt64());

        Assert.True(chatResponse.StatusCode == HttpStatusCode.OK, $"{(int)chatResponse.StatusCode}: {chatText}");
        var openai = JsonDocument.Parse(chatText).RootElement;
        Assert.Equal("chat.completion", openai.GetProperty("object").GetString());
        Assert.False(string.IsNullOrWhiteSpace(openai.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()));
        var chatTally = await TallyAsync(chatId);
        Assert.Equal("anthropic.messages", chatTally.GetProperty("endpoint").GetString());
        Assert.Equal(chatTally.GetProperty("prompt_tokens").GetInt64(), openai.GetProperty("usage").GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(chatTally.GetProperty("completion_tokens").GetInt64(), openai.GetProperty("usage").GetProperty("completion_tokens").GetInt64());

        Assert.Equal(0, await proxy.TerminateAsync());

        var ledger = MeteringWorld.ReadLedger(_world.DataDirectory).ToDictionary(r => r.RequestId);
        Assert.Equal(2, ledger.Count);
        Assert.Equal("messages", ledger[messagesId].Operation);
        Assert.Equal(messagesTally.GetProperty("completion_tokens").GetInt64(), ledger[messagesId].OutputTokens);
        Assert.Equal("chat", ledger[chatId].Operation);
        Assert.Equal("claude-sonnet-4-20250514", ledger[chatId].ModelVersion);
        Assert.Equal(chatTally.GetProperty("prompt_tokens").GetInt64(), ledger[chatId].InputTokens);
        Assert.Equal(chatTally.GetProperty("completion_tokens").GetInt64(), ledger[chatId].OutputTokens);
    }

    [Theory]
    [InlineData("/v1/chat/completions", "sk-gw-nope", """{"model":"gpt-4o","messages":[]}""", 401, GatewayErrorCodes.InvalidApiKey)]
    [InlineData("/v1/chat/completions", DemoKeys.Key, """{"model":"gpt-4o","messages":[{"role":"user","content":"Hel""", 400, GatewayErrorCodes.InvalidJson)]
    [InlineData("/v1/chat/completions", DemoKeys.Key, """{"model":"gpt-5-ultra","messages":[]}""", 404, GatewayErrorCodes.ModelNotFound)]
    [InlineData("/v1/chat/completions", DemoKeys.Key, """{"messages":[]}""", 400, GatewayErrorCodes.MissingModel)]
    [InlineData("/v1/chat/completions", DemoKeys.Key, """{"model":"claude-3-5-sonnet-20240620","messages":[]}""", 410, GatewayErrorCodes.ModelRetired)]
    [InlineData("/v1/messages", "sk-gw-nope", """{"model":"claude-sonnet","max_tokens":10,"messages":[]}""", 401, GatewayErrorCodes.InvalidApiKey)]
    public async Task Errors_AreAnsweredInTheDocumentedShape_AndMeterNothing(string path, string key, string body, int status, string code)
    {
        var proxy = await StartProxyAsync();
        using var http = Client(proxy);
        var anthropicClient = path == "/v1/messages";
        using var request = Post(path, body, requestId: null, key: anthropicClient ? null : key);
        if (anthropicClient) request.Headers.Add("x-api-key", key);

        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.False(string.IsNullOrEmpty(Header(response, GatewayHeaders.RequestId)));
        var root = JsonDocument.Parse(text).RootElement;
        var error = root.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(GatewayErrorCodes.TypeOf(code), error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.True(error.TryGetProperty("param", out _), "the error has no param");
        if (anthropicClient) Assert.Equal("error", root.GetProperty("type").GetString());
        if (code == GatewayErrorCodes.InvalidJson) Assert.Contains("line", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        if (code == GatewayErrorCodes.ModelRetired) Assert.Contains("claude-sonnet-4-20250514", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        Assert.Equal(0, await proxy.TerminateAsync());
        Assert.Empty(MeteringWorld.ReadLedger(_world.DataDirectory));
    }

    [Theory]
    [InlineData("Proxy__Usage__ChannelCapacity", "1", "OptionsValidationException: ChannelCapacity:")]
    [InlineData("Proxy__MaxRequestBodyBytes", "10", "OptionsValidationException: MaxRequestBodyBytes:")]
    [InlineData("Proxy__Snapshot__PollSeconds", "0", "OptionsValidationException: Snapshot.PollSeconds:")]
    [InlineData("Proxy__Routing__MaxAttempts", "0", "OptionsValidationException: Routing.MaxAttempts:")]
    [InlineData("Proxy__Usage__ChannelCapacity", "many", "Failed to convert configuration value 'many' at 'Proxy:Usage:ChannelCapacity'")]
    [InlineData("Proxy__Usage__Shipper", "Bogus", "Failed to convert configuration value 'Bogus' at 'Proxy:Usage:Shipper'")]
    public async Task ABadSetting_StopsTheStart_NamingIt(string variable, string value, string named)
    {
        build.Require();

        await using var proxy = await ProxyProcess.LaunchAsync(_world.DataDirectory, _world.SnapshotFile, build.Executable,
            Settings(new Dictionary<string, string?> { [variable] = value }));

        Assert.True(proxy.HasExited, $"the proxy listens on {proxy.Url} despite {variable}={value}:\n{proxy.OutputText}");
        Assert.NotEqual(0, proxy.ExitCode);
        Assert.Contains(named, proxy.OutputText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gpt-4o", "o200k_base", "cl100k_base")]
    [InlineData("text-embedding-3-small", "cl100k_base", "o200k_base")]
    public async Task PromptTokens_AreReservedAsTheJitBuildCountsThem(string model, string vocabulary, string otherVocabulary)
    {
        const string Text = "Grüße aus Zürich! Ça va? 東京タワーは333m。 12,345.67 + 0x1F — don't STOP; foo_bar(baz) => {\"k\": [1, 2]}\n\n    indented\ttab 🙂 naïve café";
        const int MaxTokens = 16;
        var chat = model == "gpt-4o";
        JsonObject json = chat
            ? new()
            {
                ["model"] = model,
                ["max_tokens"] = MaxTokens,
                ["messages"] = new JsonArray(
                    new JsonObject { ["role"] = "system", ["content"] = "You count tokens." },
                    new JsonObject { ["role"] = "user", ["name"] = "tester", ["content"] = Text }),
                ["tools"] = JsonNode.Parse("""[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]"""),
            }
            : new() { ["model"] = model, ["input"] = new JsonArray(Text, "a second input") };
        var body = json.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var operation = chat ? GatewayOperation.ChatCompletions : GatewayOperation.Embeddings;
        var bytes = Encoding.UTF8.GetBytes(body);
        var prompt = PromptTokenEstimator.Count(operation, bytes, Tokenizers.For(vocabulary));
        // The text tells the vocabularies apart, so a proxy counting with the wrong one (or none) fails.
        Assert.NotEqual(PromptTokenEstimator.Count(operation, bytes, Tokenizers.For(otherVocabulary)), prompt);
        var proxy = await StartProxyAsync();
        using var http = Client(proxy);

        using var response = await http.SendAsync(Post(chat ? "/v1/chat/completions" : "/v1/embeddings", body, NewId("count")), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        var limit = long.Parse(Header(response, GatewayHeaders.LimitTokens), CultureInfo.InvariantCulture);
        var remaining = long.Parse(Header(response, GatewayHeaders.RemainingTokens), CultureInfo.InvariantCulture);
        Assert.Equal(prompt + (chat ? MaxTokens : 0), limit - remaining);
    }

    [Fact]
    public async Task HealthAndMetrics_Answer_AndTheRequestCounterCountsByStatusAndReason()
    {
        var proxy = await StartProxyAsync();
        using var http = Client(proxy);

        using var health = await http.GetAsync("/health", Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(Ct));
        using var alive = await http.GetAsync("/alive", Ct);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);

        using (var ok = await http.SendAsync(Post("/v1/chat/completions", """{"model":"gpt-4o","messages":[{"role":"user","content":"Hello"}]}""", NewId("metrics")), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            await ok.Content.ReadAsByteArrayAsync(Ct);
        }
        using (var refused = await http.SendAsync(Post("/v1/chat/completions", """{"model":"gpt-4o","messages":[]}""", NewId("metrics"), key: "sk-gw-nope"), Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // The counter is recorded once the response has ended, so a scrape right after may miss it.
        string scrape = "";
        double? served = null, unauthorised = null;
        for (var i = 0; i < 50 && (served is null || unauthorised is null); i++)
        {
            if (i > 0) await Task.Delay(100, Ct);
            using var metrics = await http.GetAsync("/metrics", Ct);
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            Assert.Equal("text/plain", metrics.Content.Headers.ContentType?.MediaType);
            scrape = await metrics.Content.ReadAsStringAsync(Ct);
            var counters = RequestCounters(scrape);
            served = Find(counters, ("gen_ai_operation_name", "chat"), ("http_response_status_code", "200"), ("gateway_reason", "ok"));
            unauthorised = Find(counters, ("http_response_status_code", "401"), ("gateway_reason", GatewayErrorCodes.InvalidApiKey));
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{build.Dockerfile}'s proxy published in {build.PublishTime.TotalSeconds:F0} s, {build.PublishedBytes / 1048576.0:F1} MiB");
        Assert.True(served == 1, $"gateway_proxy_requests_total for the chat request: {served}\n{scrape}");
        Assert.True(unauthorised == 1, $"gateway_proxy_requests_total for the refused request: {unauthorised}\n{scrape}");
        Assert.Contains("gateway_proxy_request_duration", scrape, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAISdk_ChatStreamingAndATypedError_ThroughThePublishedProxy()
    {
        var proxy = await StartProxyAsync();
        var id = NewId("sdk");
        var streamId = NewId("sdk-stream");
        ChatMessage[] messages = [new UserChatMessage("Tell me about banks")];

        ChatCompletion completion = await Sdk(proxy, id).CompleteChatAsync(messages, cancellationToken: Ct);
        var text = new StringBuilder();
        ChatTokenUsage? streamUsage = null;
        await foreach (var update in Sdk(proxy, streamId).CompleteChatStreamingAsync(messages, cancellationToken: Ct))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            if (update.Usage is not null) streamUsage = update.Usage;
        }
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => Sdk(proxy, NewId("sdk-refused"), "sk-gw-nope").CompleteChatAsync(messages, cancellationToken: Ct));

        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        var tally = await TallyAsync(id);
        Assert.Equal(tally.GetProperty("prompt_tokens").GetInt32(), completion.Usage.InputTokenCount);
        Assert.Equal(tally.GetProperty("completion_tokens").GetInt32(), completion.Usage.OutputTokenCount);
        Assert.Equal(completion.Content[0].Text, text.ToString()); // MockLlm answers one prompt to one model with one text
        Assert.NotNull(streamUsage);
        Assert.Equal((await TallyAsync(streamId)).GetProperty("completion_tokens").GetInt32(), streamUsage.OutputTokenCount);
        Assert.Equal(401, refused.Status);
        Assert.Contains(GatewayErrorCodes.InvalidApiKey, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AYamlSnapshotFile_IsReadAndServes()
    {
        // JSON is YAML (flow style): the same snapshot through the YAML reader instead of the JSON one.
        var yaml = Path.Combine(_world.DataDirectory, "snapshot.yaml");
        File.Copy(_world.SnapshotFile, yaml);
        var proxy = await StartProxyAsync(new Dictionary<string, string?> { ["Proxy__Snapshot__File"] = yaml });
        using var http = Client(proxy);

        using var health = await http.GetAsync("/health", Ct);
        using var response = await http.SendAsync(Post("/v1/chat/completions", """{"model":"gpt-4o","messages":[{"role":"user","content":"Hello"}]}""", NewId("yaml")), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(health.StatusCode == HttpStatusCode.OK, $"/health {(int)health.StatusCode}:\n{proxy.OutputText}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}\n{proxy.OutputText}");
    }

    [Fact]
    public async Task Restart_WithNoSnapshotSource_StartsFromTheLastKnownGoodCopy()
    {
        var first = await StartProxyAsync();
        var lastKnownGood = Path.Combine(_world.DataDirectory, "snapshot.lkg.json");
        Assert.True(File.Exists(lastKnownGood), "no last-known-good snapshot was written");
        Assert.Equal(0, await first.TerminateAsync());

        var second = await StartProxyAsync(new Dictionary<string, string?> { ["Proxy__Snapshot__File"] = null });
        using var http = Client(second);
        using var response = await http.SendAsync(Post("/v1/chat/completions", """{"model":"gpt-4o","messages":[{"role":"user","content":"Hello"}]}""", NewId("lkg")), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}\n{second.OutputText}");
        Assert.Contains("starting from the last-known-good snapshot revision 10", second.OutputText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARealtimeSession_IsRelayed_AndMeteredWhenItEnds()
    {
        var proxy = await StartProxyAsync();
        var id = NewId("realtime");
        using var socket = await Realtime.StartTextResponseAsync(proxy.Url, DemoKeys.Key, id, Ct);

        var types = await Realtime.EventTypesUntilAsync(socket, "response.done", Ct, () => proxy.OutputText);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", Ct);

        Assert.Contains("response.text.delta", types);
        UsageRecord? record = null;
        await Eventually.HoldsAsync(() => (record = MeteringWorld.ReadLedger(_world.DataDirectory).SingleOrDefault(r => r.RequestId == id)) is not null,
            TimeSpan.FromSeconds(15), $"the realtime session {id} reaches the local ledger");
        Assert.True(record!.OutputTokens > 0, $"the session's record has no output tokens: {record}");
        Assert.Equal(DemoKeys.KeyId, record.KeyId);
    }

    [Fact]
    public async Task TwoProxies_ShareTheirCounters_InARealRedis()
    {
        RedisServer.Require();
        await using var redis = await RedisServer.StartNewAsync();
        var prefix = $"pub-{Guid.NewGuid():N}"[..16] + ":";
        var shared = new Dictionary<string, string?>
        {
            ["Proxy__Counters__Store"] = "Redis",
            ["Proxy__Counters__Redis__Configuration"] = redis.Configuration,
            ["Proxy__Counters__Redis__KeyPrefix"] = prefix,
        };
        var first = await StartProxyAsync(shared);
        var second = await StartProxyAsync(shared);

        foreach (var proxy in new[] { first, second })
        {
            using var http = Client(proxy);
            using var response = await http.SendAsync(Post("/v1/chat/completions", """{"model":"gpt-4o","messages":[{"role":"user","content":"Count me once"}]}""", NewId("redis")), Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}\n{proxy.OutputText}");
        }

        // Every requests-per-minute counter the two requests touched (team, subscription, key) counted
        // both: one count in Redis, not one per proxy. Summed over windows, in case a minute turned.
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var counters = new Dictionary<string, long>();
        await foreach (var key in server.KeysAsync(pattern: prefix + "*:rpm:*"))
        {
            var name = key.ToString();
            var counter = name[..name.LastIndexOf(':')];
            counters[counter] = counters.GetValueOrDefault(counter) + (long)await connection.GetDatabase().StringGetAsync(key);
        }
        Assert.NotEmpty(counters);
        Assert.All(counters, c => Assert.True(c.Value == 2, $"{c.Key} counted {c.Value}"));
    }

    [Fact]
    public async Task FedByTheControlPlane_OverGrpc_ItServes_AndShipsItsUsageToTheControlPlanesLedger()
    {
        build.Require();
        var feed = new FeedFixture();
        await feed.InitializeAsync();
        _feed = feed; // stopped after the proxies it feeds (DisposeAsync)

        // No snapshot file: the snapshot comes over the control plane's gRPC feed, after an
        // OIDC client-credentials token; usage goes back over gRPC to its ledger.
        var proxy = await StartProxyAsync(new Dictionary<string, string?>
        {
            ["Proxy__Snapshot__File"] = null,
            ["Proxy__ControlPlane__GrpcUrl"] = feed.ControlPlaneGrpc.ToString(),
            ["Proxy__ControlPlane__Authority"] = feed.ControlPlane.ToString(),
            ["Proxy__ControlPlane__ClientSecret"] = FeedFixture.ProxySecret,
            ["Proxy__Usage__Shipper"] = "Grpc",
        });
        using var http = Client(proxy);
        var id = "";
        var last = "";
        await Eventually.HoldsAsync(async () =>
        {
            id = NewId("fed");
            using var response = await http.SendAsync(Post("/v1/chat/completions", """{"model":"gpt-4o","messages":[{"role":"user","content":"Hello control plane"}]}""", id), Ct);
            last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}";
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30), "the proxy serves from the control plane's snapshot");

        JsonElement record = default;
        await Eventually.HoldsAsync(async () =>
        {
            var found = (await feed.LedgerAsync(DemoKeys.KeyId, "&sort=timestamp&order=desc")).Where(r => r.GetProperty("requestId").GetString() == id).ToList();
            if (found.Count == 0) return false;
            record = Assert.Single(found);
            return true;
        }, TimeSpan.FromSeconds(30), $"request {id} reaches the control plane's ledger (last answer {last})\n{proxy.OutputText}");
        Assert.Equal(DemoCatalog.CostCentre, record.GetProperty("costCentre").GetString());
        Assert.True(record.GetProperty("outputTokens").GetInt64() > 0, record.ToString());
    }

    private async Task<ProxyProcess> StartProxyAsync(IReadOnlyDictionary<string, string?>? environment = null)
    {
        build.Require();
        var proxy = await ProxyProcess.StartAsync(_world.DataDirectory, _world.SnapshotFile, build.Executable, Settings(environment));
        _started.Add(proxy);
        return proxy;
    }

    /// <summary>The image's runtime settings and the node id, then <paramref name="environment"/> (which wins).</summary>
    private Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? environment)
    {
        var settings = build.RuntimeEnvironment.ToDictionary(e => e.Key, e => (string?)e.Value);
        settings["Proxy__NodeId"] = NodeId;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) settings[name] = value;
        return settings;
    }

    private static string NewId(string prefix) => $"pub-{prefix}-{Guid.NewGuid():N}";

    private static HttpClient Client(ProxyProcess proxy) => new() { BaseAddress = proxy.Url, Timeout = TimeSpan.FromSeconds(30) };

    private static HttpRequestMessage Post(string path, string body, string? requestId, string? key = DemoKeys.Key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (requestId is not null) request.Headers.Add(GatewayHeaders.RequestId, requestId);
        return request;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"no {name} header");

    private static async Task<List<string>> ReadSseDataAsync(HttpResponseMessage response)
    {
        var data = new List<string>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Add(line["data: ".Length..]);
        }
        return data;
    }

    /// <summary>MockLlm's tally for a request id, once the request is no longer in flight.</summary>
    private async Task<JsonElement> TallyAsync(string requestId)
    {
        using var http = new HttpClient { BaseAddress = _world.MockUrl };
        for (var i = 0; ; i++)
        {
            var entry = await http.GetFromJsonAsync<JsonElement>($"/_mock/tally/{requestId}", Ct);
            if (entry.GetProperty("in_flight").GetInt32() == 0 || i == 100) return entry;
            await Task.Delay(50, Ct);
        }
    }

    private static ChatClient Sdk(ProxyProcess proxy, string requestId, string key = DemoKeys.Key)
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(proxy.Url, "/v1"), RetryPolicy = new ClientRetryPolicy(maxRetries: 0) };
        options.AddPolicy(new RequestIdPolicy(requestId), PipelinePosition.PerCall);
        // The version, not the alias: the alias sends a tenth of its requests to the canary version,
        // whose different upstream model makes MockLlm write a different text for the same prompt.
        return new ChatClient("gpt-4o-2024-08-06", new ApiKeyCredential(key), options);
    }

    /// <summary>Every <c>gateway_proxy_requests_total</c> sample of a Prometheus scrape: its labels and value.</summary>
    private static List<(Dictionary<string, string> Labels, double Value)> RequestCounters(string scrape) =>
        [.. RequestCounterLine().Matches(scrape).Select(m => (
            Label().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups["name"].Value, l => l.Groups["value"].Value),
            double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)))];

    /// <summary>The sum of the samples carrying every one of <paramref name="labels"/>; null when there is none.</summary>
    private static double? Find(List<(Dictionary<string, string> Labels, double Value)> samples, params (string Name, string Value)[] labels)
    {
        var matching = samples.Where(s => labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).ToList();
        return matching.Count == 0 ? null : matching.Sum(s => s.Value);
    }

    [GeneratedRegex(@"^gateway_proxy_requests_total\{(?<labels>[^}]*)\} (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex RequestCounterLine();

    [GeneratedRegex(@"(?<name>\w+)=""(?<value>[^""]*)""")]
    private static partial Regex Label();

    private sealed class RequestIdPolicy(string requestId) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set(GatewayHeaders.RequestId, requestId);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set(GatewayHeaders.RequestId, requestId);
            await ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}

/// <summary>The default image's build: <c>src/Proxy/Dockerfile</c>, self-contained and trimmed.</summary>
[Collection(TrimmedProxyCollection.Name)]
public sealed class TrimmedProxyTests(TrimmedProxyBuild build) : PublishedProxyTests(build);

/// <summary>The Native AOT image's build: <c>src/Proxy/Dockerfile.aot</c>.</summary>
[Collection(NativeAotProxyCollection.Name)]
public sealed class NativeAotProxyTests(NativeAotProxyBuild build) : PublishedProxyTests(build);
