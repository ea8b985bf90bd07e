using System.Net;
using Microsoft.AspNetCore.Antiforgery;

namespace Gateway.ControlPlane.Features.Identity;

internal static partial class AccountEndpoints
{
    private static IResult LoginHtml(HttpContext context, IAntiforgery antiforgery, GatewayIdentityOptions options, string returnUrl, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        Func<string?, string> e = s => WebUtility.HtmlEncode(s ?? "");
        var external = string.IsNullOrWhiteSpace(options.External.Authority)
            ? ""
            : $"""<p><a class="ext" href="/account/external?returnUrl={Uri.EscapeDataString(returnUrl)}">Sign in with {e(options.External.DisplayName)}</a></p>""";
        var message = error is null ? "" : $"""<p class="error" role="alert">{e(error)}</p>""";
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Sign in · AI Gateway</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
              body{font-family:system-ui,sans-serif;background:#f4f5f7;display:flex;justify-content:center;padding-top:10vh}
              form{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002;width:22rem}
              label{display:block;margin-top:1rem} input{width:100%;padding:.5rem;box-sizing:border-box}
              button{margin-top:1.5rem;width:100%;padding:.6rem;background:#1f4e8c;color:#fff;border:0;border-radius:4px}
              .error{color:#b00020} .ext{display:block;text-align:center;margin-top:1rem}
            </style></head>
            <body><form method="post" action="/account/login">
              <h1>AI Gateway</h1>
              {{message}}
              <input type="hidden" name="{{e(tokens.FormFieldName)}}" value="{{e(tokens.RequestToken ?? "")}}">
              <input type="hidden" name="returnUrl" value="{{e(returnUrl)}}">
              <label for="email">E-mail</label><input id="email" name="email" type="email" autocomplete="username" required autofocus>
              <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
              <button type="submit">Sign in</button>
              {{external}}
            </form></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
