using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Gateway.Proxy.Tests.Infrastructure;

internal static class Json
{
    public static StringContent Content(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static string ErrorCode(JsonElement body) => body.GetProperty("error").GetProperty("code").GetString()!;

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, Content(json), TestContext.Current.CancellationToken);

    public static string ChatBody(string model, bool stream = false, string extra = "") =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hello"}]{{(stream ? ",\"stream\":true" : "")}}{{extra}}}""";

    public const string ChatCompletion = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"up-chat-1","choices":[{"index":0,"message":{"role":"assistant","content":"Hi there"},"finish_reason":"stop"}],"usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18,"prompt_tokens_details":{"cached_tokens":3}}}
        """;

    /// <summary>JsonContent for a value (helper for anonymous objects).</summary>
    public static JsonContent Of<T>(T value) => JsonContent.Create(value);
}
