using System.Net.Http.Headers;
using System.Text;

namespace Gateway.Proxy.Tests.Infrastructure;

internal static class Send
{
    /// <summary>POSTs JSON with optional key, request id and extra headers.</summary>
    public static Task<HttpResponseMessage> PostAsync(ProxyHost proxy, string path, string json, string? requestId = null, string? key = null, params (string Name, string Value)[] headers)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key ?? TestWorld.Key);
        if (requestId is not null) message.Headers.Add("x-request-id", requestId);
        foreach (var (name, value) in headers) message.Headers.TryAddWithoutValidation(name, value);
        return proxy.Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
    }

    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : "";

    public static Task<string> TextAsync(this HttpResponseMessage response) =>
        response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
}
