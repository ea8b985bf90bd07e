using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Proxy.Tests.Infrastructure;
using Gateway.Testing;

namespace Gateway.Proxy.Tests;

/// <summary>
/// Odd requests around a valid body, in bulk: other methods, credentials in every place and shape
/// (none, blank, the wrong scheme, twice, in the wrong header, very long), content types and
/// encodings the gateway does not read (gzip, form, plain text), odd query strings and request ids.
/// Each combination is drawn at random; every answer is the upstream's or a gateway error in the
/// documented shape, never a 5xx, and nothing is logged as an error.
/// The combinations are the same on every run; <c>FUZZ_SEED=n</c> picks another sequence to explore.
/// </summary>
public sealed class MalformedHeadersTests : IAsyncLifetime
{
    private const int Requests = 600;
    private const string Body = """{"model":"chat","messages":[{"role":"user","content":"Hello"}],"max_tokens":20}""";
    private FakeUpstream _upstream = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _upstream = await SmartUpstream.StartAsync();

    public async ValueTask DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task OddMethodsCredentialsContentAndQueries_GetAnAnswerOrADocumentedError()
    {
        var (proxy, logs) = await Fuzzing.StartAsync(TestWorld.Snapshot(_upstream.Url, canaryPercent: 0));
        await using var _ = proxy;
        using var client = new HttpClient { BaseAddress = proxy.Address, Timeout = TimeSpan.FromSeconds(30) }; // no default credentials
        var random = new Random(JsonMutator.Seed);
        var requests = Enumerable.Range(0, Requests).Select(_ => DrawOne(random)).ToList();

        var failures = new ConcurrentQueue<string>();
        var ok = 0;
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (draw, ct) =>
        {
            using var message = draw.Build();
            using var response = await client.SendAsync(message, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == HttpStatusCode.OK) Interlocked.Increment(ref ok);
            if (Problem(message.Method, response, text) is { } problem) failures.Enqueue($"{draw} → {(int)response.StatusCode}: {problem}: {(text.Length > 300 ? text[..300] : text)}");
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} of {Requests} requests were mishandled:\n" + string.Join("\n", failures.Take(15)));
        Assert.True(ok > Requests / 10, $"only {ok} of {Requests} went through: the draws should let some reach the upstream");
        Fuzzing.AssertNoErrorsLogged(logs);
    }

    private static string? Problem(HttpMethod method, HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        if (status >= 500) return "a 5xx";
        if (status < 400 || method == HttpMethod.Head) return null;
        try
        {
            var root = JsonDocument.Parse(text).RootElement;
            if (!root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object) return "no error object";
            if (!error.TryGetProperty("message", out var m) || m.ValueKind != JsonValueKind.String) return "no error message";
            if (!error.TryGetProperty("code", out var c) || c.ValueKind != JsonValueKind.String) return "no error code";
        }
        catch (JsonException)
        {
            return "not JSON";
        }
        return null;
    }

    private sealed record Draw(string Method, string Path, string Credential, string ContentType, string Encoding, string? RequestId, string? Accept)
    {
        public HttpRequestMessage Build()
        {
            var message = new HttpRequestMessage(new HttpMethod(Method), Path);
            if (Method is not ("GET" or "HEAD" or "OPTIONS"))
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(Body);
                if (Encoding == "gzip")
                {
                    using var packed = new MemoryStream();
                    using (var gzip = new GZipStream(packed, CompressionLevel.Fastest)) gzip.Write(bytes);
                    bytes = packed.ToArray();
                }
                message.Content = new ByteArrayContent(bytes);
                if (ContentType.Length > 0) message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
                if (Encoding.Length > 0) message.Content.Headers.TryAddWithoutValidation("Content-Encoding", Encoding);
            }
            foreach (var header in Credential.Split('|', StringSplitOptions.RemoveEmptyEntries))
            {
                var colon = header.IndexOf(':');
                message.Headers.TryAddWithoutValidation(header[..colon], header[(colon + 1)..]);
            }
            if (RequestId is not null) message.Headers.TryAddWithoutValidation("x-request-id", RequestId);
            if (Accept is not null) message.Headers.TryAddWithoutValidation("Accept", Accept);
            return message;
        }

        public override string ToString() => $"{Method} {Path} [{Credential.Replace(TestWorld.Key, "KEY", StringComparison.Ordinal)}] [{ContentType}] [{Encoding}] [{RequestId}] [{Accept}]";
    }

    private static Draw DrawOne(Random random)
    {
        T Pick<T>(params T[] values) => values[random.Next(values.Length)];
        var key = TestWorld.Key;
        var azure = random.Next(4) == 0;
        var path = azure
            ? "/openai/deployments/azure-chat/chat/completions" + Pick("?api-version=2024-10-21", "", "?api-version=", "?api-version=x%20y", "?api-version=%00", "?api-version=" + new string('9', 3000), "?api-version=a&api-version=b")
            : Pick("/v1/chat/completions", "/v1/chat/completions?x=1", "/v1/chat/completions/", "/V1/Chat/Completions", "/v1/chat//completions", "/v1/messages", "/v1/embeddings", "/v1/nope",
                "/v1/models", "/v1/models/chat", "/v1/models/chat-v1", "/v1/models/%2e%2e", "/v1/models/chat%2Fv1", "/v1/models/" + new string('m', 3000), "/v1/models/%07",
                "/v2/models/scorer/infer", "/v2/models/%20/infer", "/v1/realtime?model=voice", "/v1/realtime?model=");
        return new Draw(
            Method: random.Next(5) == 0 ? Pick("GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS") : "POST",
            Path: path,
            Credential: Pick(
                $"Authorization:Bearer {key}", $"Authorization:Bearer {key}", $"Authorization:bearer {key}", $"api-key:{key}", $"x-api-key:{key}",
                "", "Authorization:", "Authorization:Bearer", "Authorization:Bearer ", "Authorization:Basic Zm9vOmJhcg==", $"Authorization:Bearer {key} extra",
                $"Authorization:Bearer {key.ToUpperInvariant()}", $"Authorization:Bearer {key}|Authorization:Bearer {key}", $"Authorization:Bearer {key}|api-key:sk-gw-other",
                $"Authorization:Bearer {new string('k', 8000)}", $"Authorization:Bearer {key}|x-api-key:{key}", "Authorization:Bearer sk-gw-%%%_x"),
            ContentType: Pick("application/json", "application/json", "", "text/plain", "application/json; charset=iso-8859-1", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/vnd.api+json"),
            Encoding: Pick("", "", "", "gzip", "br", "identity"),
            RequestId: Pick<string?>(null, null, "", "id-1", new string('i', 300), "bad id with spaces", "<script>"),
            Accept: Pick<string?>(null, null, "text/event-stream", "application/xml", "*/*"));
    }
}
