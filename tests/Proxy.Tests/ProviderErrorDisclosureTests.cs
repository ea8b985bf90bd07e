using System.Net;
using System.Text;
using Gateway.Proxy.Forwarding;
using Gateway.Proxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Gateway.Proxy.Tests;

/// <summary>
/// What a provider says about the bank's account (its key echoed back, the organisation, the
/// account's limits) never reaches an application: the gateway's own message answers a 401/403/404,
/// 429 or 5xx, the provider's goes to the operators' log with the key replaced, and a relayed
/// client error that holds the key has it replaced too.
/// </summary>
public sealed class ProviderErrorDisclosureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<FakeUpstream> EchoingUpstreamAsync() => await FakeUpstream.StartAsync(async (context, request) =>
    {
        // A provider that echoes the credential it was given, as some do in their errors.
        var key = request.Headers.GetValueOrDefault("authorization", "").Replace("Bearer ", "", StringComparison.Ordinal);
        var status = int.Parse(request.Headers.GetValueOrDefault("x-test-status", "401"), System.Globalization.CultureInfo.InvariantCulture);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var message = $"Incorrect API key provided: {key}. Rate limit reached in organization org-BANK123 on tokens per min: Limit 30000.";
        await context.Response.WriteAsync("{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\",\"code\":\"x\"}}");
    });

    [Theory]
    [InlineData(401, HttpStatusCode.BadGateway)]
    [InlineData(403, HttpStatusCode.BadGateway)]
    [InlineData(404, HttpStatusCode.BadGateway)]
    [InlineData(429, HttpStatusCode.TooManyRequests)]
    [InlineData(500, HttpStatusCode.BadGateway)]
    [InlineData(503, HttpStatusCode.ServiceUnavailable)]
    [InlineData(400, HttpStatusCode.BadRequest)]
    [InlineData(422, (HttpStatusCode)422)]
    public async Task TheProvidersWordsAboutTheBanksAccount_NeverReachTheClient(int upstreamStatus, HttpStatusCode expected)
    {
        await using var upstream = await EchoingUpstreamAsync();
        await using var proxy = await ProxyHost.StartAsync(TestWorld.Snapshot(upstream.Url), configure: builder => builder.Logging.AddFakeLogging());
        var logs = proxy.App.Services.GetRequiredService<FakeLogCollector>();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"chat-v1","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-test-status", upstreamStatus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await proxy.Client.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain(TestWorld.UpstreamSecret, body, StringComparison.Ordinal);
        if (upstreamStatus is 400 or 422)
        {
            // A client error is the client's to read, with the key taken out.
            Assert.Contains("Incorrect API key provided: [redacted]", body, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("org-BANK123", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Incorrect API key", body, StringComparison.Ordinal);
            var logged = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 5007);
            Assert.Equal(LogLevel.Warning, logged.Level);
            Assert.Contains("org-BANK123", logged.Message, StringComparison.Ordinal);
            Assert.Contains("[redacted]", logged.Message, StringComparison.Ordinal);
            Assert.Contains($"answered {upstreamStatus}", logged.Message, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Message.Contains(TestWorld.UpstreamSecret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("no secret here", "s3cr3t", "no secret here")]
    [InlineData("s3cr3t", "s3cr3t", "[redacted]")]
    [InlineData("a s3cr3t b s3cr3ts3cr3t c", "s3cr3t", "a [redacted] b [redacted][redacted] c")]
    [InlineData("s3cr3", "s3cr3t", "s3cr3")]
    [InlineData("anything", "", "anything")]
    public void WithoutSecret_ReplacesEveryOccurrence(string body, string secret, string expected) =>
        Assert.Equal(expected, Encoding.UTF8.GetString(ErrorRelay.WithoutSecret(Encoding.UTF8.GetBytes(body), secret)));
}
