using System.Net.Http.Json;
using System.Text.Json;

namespace Gateway.MockLlm.Tests;

/// <summary>The same request gives the same text and counts; a different one does not.</summary>
public sealed class DeterminismTests(MockLlmFixture host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"gpt-4o","messages":[{"role":"system","content":"Be kind."},{"role":"user","name":"ann","content":[{"type":"text","text":"Tell me"},{"type":"text","text":" a story"}]}]}""")]
    [InlineData("/v1/completions", """{"model":"m","prompt":"Once"}""")]
    [InlineData("/v1/responses", """{"model":"gpt-4o","instructions":"Short.","input":"Why?"}""")]
    public async Task SameRequestTwice_SameTextAndCounts(string path, string body)
    {
        var first = await PostAsync(path, body);
        var second = await PostAsync(path, body);
        Assert.Equal(Strip(first), Strip(second));

        var other = await PostAsync(path, body.Replace("\"model\":\"", "\"model\":\"x-", StringComparison.Ordinal));
        Assert.NotEqual(Strip(first), Strip(other).Replace("x-", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PromptTokens_FollowTheDocumentedFormula()
    {
        var chat = await PostAsync("/v1/chat/completions",
            """{"model":"gpt-4o","messages":[{"role":"system","content":"Be kind."},{"role":"user","name":"ann","content":[{"type":"text","text":"Tell me"},{"type":"text","text":" a story"}]}]}""");
        var expected = 3
            + 3 + Tokens.Count("system") + Tokens.Count("Be kind.")
            + 3 + Tokens.Count("user") + Tokens.Count("Tell me") + Tokens.Count(" a story") + Tokens.Count("ann") + 1;
        Assert.Equal(expected, chat.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());

        var tools = """[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]""";
        var withTools = await PostAsync("/v1/chat/completions", $$"""{"model":"gpt-4o","tools":{{tools}},"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(3 + 3 + 1 + Tokens.Count("hi") + Tokens.Count(tools), withTools.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    private async Task<JsonElement> PostAsync(string path, string body)
    {
        using var response = await host.Http.SendAsync(host.Post(path, body), Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).Clone();
    }

    /// <summary>The answer without the fields that legitimately differ (ids, timestamps).</summary>
    private static string Strip(JsonElement body)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(body.GetRawText())!.AsObject();
        node.Remove("id");
        node.Remove("created");
        node.Remove("created_at");
        if (node["output"] is System.Text.Json.Nodes.JsonArray output)
        {
            foreach (var item in output) item!.AsObject().Remove("id");
        }
        return node.ToJsonString();
    }
}
