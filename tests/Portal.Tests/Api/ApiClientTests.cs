using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Portal.Tests.Api;

/// <summary>The typed clients: the user's token on every call, the API's problems as readable errors.</summary>
public sealed class ApiClientTests
{
    private readonly FakeControlPlane _controlPlane = new();
    private readonly ServiceProvider _services;

    public ApiClientTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(new PortalOptions { ControlPlaneUrl = "http://cp.test/", ProxyUrl = "http://proxy.test" }));
        services.AddSingleton<IAccessTokenSource, FixedTokenSource>();
        services.AddControlPlaneApi(resilient: false);
        services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => _controlPlane));
        _services = services.BuildServiceProvider();
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Query_IsCamelCase_WithApiEnumNamesAndUtcTimes()
    {
        _controlPlane.Json(HttpMethod.Get, "/api/usage/summary", Data.Page<UsageSummaryRow>());
        await _services.GetRequiredService<UsageApi>().SummaryAsync(new UsageSummaryQuery
        {
            GroupBy = "costCentre", From = new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.FromHours(1)), TeamId = "team risk", Page = 2,
        }, Ct);
        var sent = _controlPlane.Last(HttpMethod.Get, "/api/usage/summary");
        Assert.Equal("costCentre", sent.Query["groupBy"]);
        Assert.Equal("2026-11-01T00:00:00Z", sent.Query["from"]);
        Assert.Equal("team risk", sent.Query["teamId"]);
        Assert.Equal("2", sent.Query["page"]);
        Assert.Null(sent.Query["to"]);
        Assert.Equal($"Bearer {FixedTokenSource.Token}", sent.Authorization);
    }

    [Fact]
    public void EnumValues_UseTheApiNames() =>
        Assert.Equal("azure-openai", QueryString.Build("x", new { Kind = Gateway.Contracts.Snapshot.ProviderKind.AzureOpenAI }).Split('=')[1]);

    [Fact]
    public async Task ValidationProblem_CarriesEachFieldsMessages()
    {
        _controlPlane.Problem(HttpMethod.Post, "/api/keys", HttpStatusCode.BadRequest, "One or more validation errors occurred.", errors: new()
        {
            ["expiresAt"] = ["is required"], ["subscriptionIds[0]"] = ["is not a subscription of team-risk"],
        });
        var error = await Assert.ThrowsAsync<ApiException>(() =>
            _services.GetRequiredService<KeysApi>().CreateAsync(new CreateApiKeyRequest("team-risk", "app", default), Ct));
        Assert.True(error.IsValidation);
        Assert.Equal("is required", error.ErrorFor("expiresAt"));
        Assert.Equal("is not a subscription of team-risk", error.ErrorFor("subscriptionIds[0]"));
        Assert.Contains("expiresAt is required", error.UserMessage);
    }

    [Fact]
    public async Task Forbidden_ShowsTheApisDetail()
    {
        _controlPlane.Problem(HttpMethod.Post, "/api/access-requests/r1/approve", HttpStatusCode.Forbidden, "Forbidden",
            "You cannot decide your own request (maker-checker): another approver must.");
        var error = await Assert.ThrowsAsync<ApiException>(() =>
            _services.GetRequiredService<AccessRequestsApi>().ApproveAsync("r1", new ApproveAccessRequest(), Ct));
        Assert.Equal(403, error.Status);
        Assert.Equal("You cannot decide your own request (maker-checker): another approver must.", error.UserMessage);
    }

    [Fact]
    public async Task ServerError_WithoutProblemBody_IsStillReadable()
    {
        var handler = new StaticHandler(HttpStatusCode.BadGateway, "<html>bad gateway</html>", "text/html");
        var api = new MeApi(new HttpClient(handler) { BaseAddress = new Uri("http://cp.test/") }, new FixedTokenSource());
        var error = await Assert.ThrowsAsync<ApiException>(() => api.GetAsync(Ct));
        Assert.Equal(502, error.Status);
        Assert.StartsWith("The control plane could not complete the request (502).", error.UserMessage);
        Assert.DoesNotContain("html", error.UserMessage);
    }

    [Fact]
    public async Task Unreachable_IsStatusZero_WithAPlainMessage()
    {
        _controlPlane.Unreachable(HttpMethod.Get, "/api/me");
        var error = await Assert.ThrowsAsync<ApiException>(() => _services.GetRequiredService<MeApi>().GetAsync(Ct));
        Assert.Equal(0, error.Status);
        Assert.Equal("The control plane cannot be reached right now. Try again in a moment.", error.UserMessage);
    }

    [Fact]
    public async Task UnreadableSuccessBody_IsAnApiError_NotACrash()
    {
        var api = new MeApi(new HttpClient(new StaticHandler(HttpStatusCode.OK, "{not json", "application/json")) { BaseAddress = new Uri("http://cp.test/") }, new FixedTokenSource());
        var error = await Assert.ThrowsAsync<ApiException>(() => api.GetAsync(Ct));
        Assert.Equal(502, error.Status);
    }

    private sealed class StaticHandler(HttpStatusCode status, string body, string mediaType) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType) });
    }

    [Fact]
    public async Task Accepted_IsAChangeHeldForASecondAdmin_NotAFailure()
    {
        _controlPlane.Json(HttpMethod.Put, "/api/providers/p1", Data.Change("chg-7", "user-admin"), HttpStatusCode.Accepted);
        _controlPlane.Json(HttpMethod.Delete, "/api/providers/p2", Data.Change("chg-8", "user-admin"), HttpStatusCode.Accepted);
        var api = _services.GetRequiredService<ProvidersApi>();

        var updated = await api.UpdateAsync("p1", new UpdateProviderRequest(Gateway.Contracts.Snapshot.ProviderKind.OpenAI, "http://x", null, null, 10, 300, 120, "s"), Ct);
        var deleted = await api.DeleteAsync("p2", Ct);

        Assert.Null(updated.Value);
        Assert.Equal("chg-7", updated.Held?.Id);
        Assert.Equal(ChangeStatus.Pending, updated.Held?.Status);
        Assert.Equal("chg-8", deleted.Held?.Id);
    }

    [Fact]
    public async Task NoContent_IsAChangeAppliedAtOnce()
    {
        _controlPlane.Json(HttpMethod.Delete, "/api/providers/p2", new { }, HttpStatusCode.NoContent);
        var deleted = await _services.GetRequiredService<ProvidersApi>().DeleteAsync("p2", Ct);
        Assert.Null(deleted.Held);
    }
}
