using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.MockLlm.Tests;

/// <summary>MockLlm on a real Kestrel listener at 127.0.0.1:0 (the SDKs need a real socket for SSE).</summary>
public class MockLlmHost : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public const string Key = "mock-key";

    protected virtual string[] Args => [];

    internal virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public async ValueTask InitializeAsync()
    {
        _app = MockLlmApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production", .. Args], Configure);
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A POST with the OpenAI key header and a JSON body (string, sent as is).</summary>
    public HttpRequestMessage Post(string path, string body, string? requestId = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Key);
        if (requestId is not null) request.Headers.TryAddWithoutValidation("x-request-id", requestId);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    /// <summary>The tally entry of <paramref name="requestId"/>, once nothing is in flight for it.</summary>
    public async Task<JsonElement> TallyAsync(string requestId)
    {
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; ; i++)
        {
            using var response = await Http.GetAsync($"/_mock/tally/{Uri.EscapeDataString(requestId)}", ct);
            if (response.IsSuccessStatusCode)
            {
                var entry = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                if (entry.GetProperty("in_flight").GetInt32() == 0) return entry;
            }
            if (i >= 500) throw new TimeoutException($"Tally for {requestId} did not settle; last status {(int)response.StatusCode}.");
            await Task.Delay(20, ct);
        }
    }
}

/// <summary>The shared instance most tests use (instance defaults untouched).</summary>
public sealed class MockLlmFixture : MockLlmHost;
