using System.Net;
using Gateway.ControlPlane.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// The authentication trail: each sign-in, each refused one with the e-mail tried, each lock-out,
/// with the client's address; never a password.
/// </summary>
[Collection(AuditAccessLogCollection.Name)]
public sealed class SignInLogTests(LoggingSqliteFixture fixture)
{
    private const string WrongPassword = "Not-The-Password-9!";

    [Fact]
    public async Task SignInsRefusalsAndLockOuts_AreLogged_WithTheAddress_AndNeverThePassword()
    {
        fixture.Require();
        var logs = fixture.App.Services.GetRequiredService<FakeLogCollector>();
        logs.Clear();

        Assert.False(string.IsNullOrEmpty(await fixture.TokenAsync("approver@demo.bank")));
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync("finance@demo.bank", WrongPassword));
        Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync("finance@demo.bank", Data.DemoSeedPassword));
        Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync("nobody@demo.bank", WrongPassword));

        var events = logs.GetSnapshot().Where(r => r.Id.Id is >= 520 and <= 523).ToList();
        var signedIn = Assert.Single(events, r => r.Id.Id == 520);
        Assert.Contains("approver@demo.bank", signedIn.Message, StringComparison.Ordinal);
        Assert.Contains("by password from 127.0.0.1", signedIn.Message, StringComparison.Ordinal);
        // Four wrong passwords, then the fifth locks the account, and even the right one is refused.
        Assert.Equal(4, events.Count(r => r.Id.Id == 521 && r.Message.Contains("finance@demo.bank", StringComparison.Ordinal)));
        Assert.Equal(2, events.Count(r => r.Id.Id == 522 && r.Message.Contains("finance@demo.bank", StringComparison.Ordinal)));
        Assert.Single(events, r => r.Id.Id == 521 && r.Message.Contains("nobody@demo.bank", StringComparison.Ordinal));
        Assert.All(events.Where(r => r.Id.Id is 521 or 522), r => Assert.Equal(LogLevel.Warning, r.Level));
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Message.Contains(WrongPassword, StringComparison.Ordinal) || r.Message.Contains(Data.DemoSeedPassword, StringComparison.Ordinal));
    }

    /// <summary>Posts the sign-in form as a browser would (its antiforgery field and cookie); the answer's status.</summary>
    private async Task<HttpStatusCode> SignInAsync(string email, string password)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler) { BaseAddress = fixture.BaseAddress };
        var page = await http.GetStringAsync(new Uri("/account/login?returnUrl=%2F", UriKind.Relative), Api.Ct);
        var fields = OidcLogin.HiddenFields(page);
        fields["email"] = email;
        fields["password"] = password;
        using var response = await http.PostAsync(new Uri("/account/login", UriKind.Relative), new FormUrlEncodedContent(fields), Api.Ct);
        return response.StatusCode;
    }

    private static class Data
    {
        public const string DemoSeedPassword = Gateway.ControlPlane.Features.DefaultRun.DemoSeed.DemoPassword;
    }
}
