using System.Collections.Concurrent;
using Gateway.ControlPlane.Tests.Infrastructure;
using Gateway.Testing;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// Odd requests to the sign-in server, in bulk: the token endpoint with every grant type and
/// parameter drawn at random (unknown, blank, repeated, 3,000 characters, control characters,
/// other clients' ids and wrong secrets), the authorize endpoint with odd query strings, and the
/// sign-in form with odd fields (for e-mails no account has, so that nobody is locked out). Every
/// answer is OpenIddict's error or a page, never a 5xx.
/// The draws are the same on every run; <c>FUZZ_SEED=n</c> picks another sequence to explore.
/// </summary>
public abstract class MalformedOidcTests(ControlPlaneFixture fixture)
{
    private const int Requests = 300;

    private static readonly string[] Values =
    [
        "", " ", "x", "%", "\u0001", "a\tb", "null", "-1", new string('v', 3000), "openid", "gateway.api", "gateway.proxy",
        "openid profile email roles offline_access gateway.api", "gateway-portal", "gateway-proxy", TestClients.SecondApprover, TestClients.NoRole,
        "http://localhost:5082/signin-oidc", "http://evil.example/cb", "javascript:alert(1)", "S256", "plain", "code", "token", "id_token",
        "authorization_code", "client_credentials", "refresh_token", "password", "urn:ietf:params:oauth:grant-type:device_code",
        ControlPlaneFixture.ClientSecret, ControlPlaneFixture.ProxySecret, "nobody@demo.bank", "x@y", "\"'<>",
    ];

    private static readonly string[] TokenParameters =
        ["grant_type", "client_id", "client_secret", "scope", "code", "code_verifier", "redirect_uri", "refresh_token", "username", "password", "resource", "audience"];

    private static readonly string[] AuthorizeParameters =
        ["client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge", "code_challenge_method", "nonce", "prompt", "response_mode", "max_age"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OddTokenAuthorizeAndSignInRequests_GetAnErrorOrAPage_NeverA5xx()
    {
        fixture.Require();
        var random = new Random(JsonMutator.Seed);
        string Pick(string[] values) => values[random.Next(values.Length)];
        var draws = new List<Func<HttpClient, Task<HttpResponseMessage>>>();
        var described = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            switch (random.Next(3))
            {
                case 0:
                    var form = Enumerable.Range(0, random.Next(1, 7)).Select(_ => new KeyValuePair<string, string>(Pick(TokenParameters), Pick(Values))).ToList();
                    described.Add("POST /connect/token " + string.Join('&', form.Select(f => $"{f.Key}={Short(f.Value)}")));
                    draws.Add(http => http.PostAsync("/connect/token", new FormUrlEncodedContent(form), Ct));
                    break;
                case 1:
                    var query = string.Join('&', Enumerable.Range(0, random.Next(1, 8)).Select(_ => $"{Pick(AuthorizeParameters)}={Uri.EscapeDataString(Pick(Values))}"));
                    described.Add("GET /connect/authorize?" + Short(query));
                    draws.Add(http => http.GetAsync("/connect/authorize?" + query, Ct));
                    break;
                default:
                    var fields = new List<KeyValuePair<string, string>>
                    {
                        new("email", "nobody-" + random.Next(1000) + Pick(["@demo.bank", "\u0001@x", "", " "])), new("password", Pick(Values)), new("returnUrl", Pick(Values)),
                    };
                    described.Add("POST /account/login " + string.Join('&', fields.Select(f => $"{f.Key}={Short(f.Value)}")));
                    draws.Add(http => http.PostAsync("/account/login", new FormUrlEncodedContent(fields), Ct));
                    break;
            }
        }

        var failures = new ConcurrentQueue<string>();
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = fixture.BaseAddress };
        await Parallel.ForEachAsync(Enumerable.Range(0, draws.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct }, async (i, ct) =>
        {
            using var response = await draws[i](http);
            if ((int)response.StatusCode >= 500) failures.Enqueue($"{described[i]} → {(int)response.StatusCode}: {Short(await response.Content.ReadAsStringAsync(ct))}");
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {Requests} requests got a 5xx:\n" + string.Join("\n", failures.Take(15)));
    }

    private static string Short(string text) => text.Length <= 120 ? text : text[..120] + "…";
}

[Collection(SqliteCollection.Name)]
public sealed class MalformedOidcTests_Sqlite(SqliteFixture fixture) : MalformedOidcTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class MalformedOidcTests_Postgres(PostgresFixture fixture) : MalformedOidcTests(fixture);
