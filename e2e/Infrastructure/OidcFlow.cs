using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Web;

namespace Gateway.E2E.Tests.Infrastructure;

/// <summary>The Portal's sign-in over plain HTTP (authorization code + PKCE through the control plane's form), for token checks without a browser.</summary>
internal static partial class OidcFlow
{
    public sealed record Tokens(string AccessToken, string? RefreshToken, int ExpiresIn, string? IdToken);

    public static async Task<Tokens> SignInAsync(Uri controlPlane, Uri redirectUri, string email, CancellationToken ct)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler) { BaseAddress = controlPlane };
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = "/connect/authorize?client_id=gateway-portal&response_type=code&code_challenge_method=S256" +
            $"&redirect_uri={Uri.EscapeDataString(redirectUri.ToString())}&code_challenge={challenge}&state=e2e" +
            "&scope=" + Uri.EscapeDataString("openid profile email roles offline_access gateway.api");
        using var toLogin = await http.GetAsync(authorize, ct);
        var page = await http.GetStringAsync(toLogin.Headers.Location, ct);
        var fields = HiddenField().Matches(page).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["email"] = email;
        fields["password"] = GatewaySystem.DemoPassword;
        using var signedIn = await http.PostAsync("/account/login", new FormUrlEncodedContent(fields), ct);
        using var withCode = await http.GetAsync(signedIn.Headers.Location, ct);
        var code = HttpUtility.ParseQueryString(withCode.Headers.Location!.Query)["code"] ?? throw new InvalidOperationException("No code: " + withCode.Headers.Location);
        using var token = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirectUri.ToString(),
            ["client_id"] = "gateway-portal", ["code_verifier"] = verifier,
        }), ct);
        var json = JsonDocument.Parse(await token.Content.ReadAsStringAsync(ct)).RootElement;
        return new Tokens(json.GetProperty("access_token").GetString()!,
            json.TryGetProperty("refresh_token", out var r) ? r.GetString() : null, json.GetProperty("expires_in").GetInt32(),
            json.TryGetProperty("id_token", out var i) ? i.GetString() : null);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenField();
}
