using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.ControlPlane.Tests.Infrastructure;

/// <summary>
/// The real OAuth flows over HTTP, as the Portal and the proxies use them: authorization code +
/// PKCE through the sign-in form (antiforgery token and all), and client credentials.
/// </summary>
public static partial class OidcLogin
{
    public const string PortalRedirect = "http://localhost:5082/signin-oidc";

    public static async Task<string> UserTokenAsync(Uri baseAddress, string email, string password, CancellationToken ct)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress };
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Base64Url(RandomNumberGenerator.GetBytes(12));
        var authorize = "/connect/authorize?" + Query(new()
        {
            ["client_id"] = "gateway-portal", ["redirect_uri"] = PortalRedirect, ["response_type"] = "code",
            ["scope"] = "openid profile email roles offline_access gateway.api",
            ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["state"] = state,
        });

        using var toLogin = await http.GetAsync(authorize, ct);
        Expect(toLogin, HttpStatusCode.Redirect, "authorize → sign-in page");
        var page = await http.GetStringAsync(toLogin.Headers.Location, ct);
        var fields = HiddenFields(page);
        fields["email"] = email;
        fields["password"] = password;
        using var signedIn = await http.PostAsync("/account/login", new FormUrlEncodedContent(fields), ct);
        Expect(signedIn, HttpStatusCode.Redirect, $"sign-in of {email}");
        using var withCode = await http.GetAsync(signedIn.Headers.Location, ct);
        Expect(withCode, HttpStatusCode.Redirect, "authorize → redirect with code");
        var location = withCode.Headers.Location!.ToString();
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(location).Query);
        if (query["state"] != state || query["code"] is not { } code) throw new InvalidOperationException($"No code in {location}");

        using var token = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = PortalRedirect,
            ["client_id"] = "gateway-portal", ["code_verifier"] = verifier,
        }), ct);
        return await AccessTokenAsync(token, ct);
    }

    public static async Task<string> ClientTokenAsync(Uri baseAddress, string clientId, string secret, string scope, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        using var token = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = scope,
        }), ct);
        return await AccessTokenAsync(token, ct);
    }

    internal static async Task<JsonElement> TokenResponseAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Token endpoint: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<string> AccessTokenAsync(HttpResponseMessage response, CancellationToken ct) =>
        (await TokenResponseAsync(response, ct)).GetProperty("access_token").GetString()!;

    private static void Expect(HttpResponseMessage response, HttpStatusCode status, string step)
    {
        if (response.StatusCode != status) throw new InvalidOperationException($"{step}: expected {(int)status}, got {(int)response.StatusCode}");
    }

    private static string Query(Dictionary<string, string> values) =>
        string.Join('&', values.Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value)}"));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The sign-in page's hidden form fields (antiforgery token, return URL), decoded.</summary>
    public static Dictionary<string, string> HiddenFields(string page) =>
        HiddenField().Matches(page).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenField();
}
