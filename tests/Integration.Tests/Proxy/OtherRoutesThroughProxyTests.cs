using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Gateway.Contracts.Keys;

namespace Gateway.Integration.Tests.Proxy;

/// <summary>Azure-style routes, v2 inference and the realtime WebSocket through the proxy to MockLlm.</summary>
[Collection(ProxyStackCollection.Name)]
public sealed class OtherRoutesThroughProxyTests(ProxyStackFixture stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(string path, string json, string id, string header = "Authorization")
    {
        using var http = new HttpClient { BaseAddress = stack.Proxy };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (header == "Authorization") request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DemoKeys.Key);
        else request.Headers.Add(header, DemoKeys.Key);
        request.Headers.Add("x-request-id", id);
        var response = await http.SendAsync(request, Ct);
        return (response, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone());
    }

    [Fact]
    public async Task AzureStyleRoute_ToAnAzureDeployment()
    {
        var id = "it-azure-" + Guid.NewGuid().ToString("N");

        var (response, body) = await PostAsync("/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21",
            """{"messages":[{"role":"user","content":"Hello"}]}""", id, "api-key");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gpt-4o-mini-2024-07-18", response.Headers.GetValues("x-gateway-model-version").Single());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()));
        var tally = await stack.TallyAsync(id);
        Assert.Equal("gpt-4o-mini", tally.GetProperty("model").GetString());
    }

    [Fact]
    public async Task DeprecatedAzureVersion_CarriesLifecycleHeaders()
    {
        var (response, _) = await PostAsync("/v1/chat/completions",
            """{"model":"gpt-4o-mini-2024-05-01","messages":[{"role":"user","content":"Hello"}]}""", "it-dep-" + Guid.NewGuid().ToString("N"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("@1780272000", response.Headers.GetValues("Deprecation").Single());
        Assert.Equal("Tue, 01 Jun 2027 00:00:00 GMT", response.Headers.GetValues("Sunset").Single());
    }

    [Fact]
    public async Task InferenceV2_ToAnInHouseModel()
    {
        var id = "it-v2-" + Guid.NewGuid().ToString("N");

        var (response, body) = await PostAsync("/v2/models/fraud-scorer/infer",
            """{"inputs":[{"name":"input","datatype":"FP32","shape":[1,2],"data":[0.5,0.25]}]}""", id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fraud-scorer-2", response.Headers.GetValues("x-gateway-model-version").Single());
        Assert.True(body.GetProperty("outputs").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Realtime_SessionThroughTheProxy()
    {
        using var socket = await Realtime.StartTextResponseAsync(stack.Proxy, DemoKeys.Key, null, Ct);

        var types = await Realtime.EventTypesUntilAsync(socket, "response.done", Ct);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", Ct);
        Assert.Equal("response.done", types[^1]);
    }
}
