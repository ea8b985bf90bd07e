using System.Security.Claims;
using Gateway.Contracts.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Gateway.ControlPlane.Features.Identity;

/// <summary>The sign-in page (local accounts and, when configured, the bank's identity provider).</summary>
internal static partial class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription();
        account.MapGet("/login", LoginPage);
        account.MapPost("/login", LoginAsync);
        account.MapPost("/logout", LogoutAsync);
        account.MapGet("/external", ExternalChallenge);
        account.MapGet("/external-callback", ExternalCallbackAsync);
    }

    internal sealed record LoginForm(string? Email, string? Password, string? ReturnUrl);

    private static IResult LoginPage(HttpContext context, IAntiforgery antiforgery, IOptions<GatewayIdentityOptions> options, string? returnUrl) =>
        LoginHtml(context, antiforgery, options.Value, SafeReturnUrl(returnUrl), null, StatusCodes.Status200OK);

    private static async Task<IResult> LoginAsync(
        HttpContext context, [FromForm] LoginForm form, SignInManager<GatewayUser> signIn, IAntiforgery antiforgery, IOptions<GatewayIdentityOptions> options, SignInLog log)
    {
        var returnUrl = SafeReturnUrl(form.ReturnUrl);
        if (string.IsNullOrWhiteSpace(form.Email) || string.IsNullOrEmpty(form.Password))
            return LoginHtml(context, antiforgery, options.Value, returnUrl, "Enter your e-mail and password.", StatusCodes.Status400BadRequest);

        var user = await signIn.UserManager.FindByEmailAsync(form.Email.Trim());
        var result = user is null
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, form.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            log.LockedOut(form.Email.Trim(), context);
            return LoginHtml(context, antiforgery, options.Value, returnUrl, "This account is locked for a while after failed attempts.", StatusCodes.Status400BadRequest);
        }
        if (!result.Succeeded)
        {
            log.Refused(form.Email.Trim(), context);
            return LoginHtml(context, antiforgery, options.Value, returnUrl, "Wrong e-mail or password.", StatusCodes.Status400BadRequest);
        }
        log.SignedIn(user!.Id, user.Email ?? "", "password", context);
        return Results.LocalRedirect(returnUrl);
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, SignInManager<GatewayUser> signIn, SignInLog log)
    {
        if (context.User.Identity?.IsAuthenticated == true) log.SignedOut(signIn.UserManager.GetUserId(context.User) ?? "", context);
        await signIn.SignOutAsync();
        return Results.LocalRedirect("/account/login");
    }

    private static IResult ExternalChallenge(IOptions<GatewayIdentityOptions> options, SignInManager<GatewayUser> signIn, string? returnUrl)
    {
        if (string.IsNullOrWhiteSpace(options.Value.External.Authority)) return Results.NotFound();
        var redirect = "/account/external-callback?returnUrl=" + Uri.EscapeDataString(SafeReturnUrl(returnUrl));
        var properties = signIn.ConfigureExternalAuthenticationProperties(IdentityExtensions.ExternalScheme, redirect);
        return Results.Challenge(properties, [IdentityExtensions.ExternalScheme]);
    }

    /// <summary>Links the external identity to a local account (by login, then by e-mail) and syncs mapped roles.</summary>
    private static async Task<IResult> ExternalCallbackAsync(
        HttpContext context, SignInManager<GatewayUser> signIn, IOptions<GatewayIdentityOptions> options, TimeProvider time, SignInLog log, string? returnUrl)
    {
        var external = options.Value.External;
        var info = await signIn.GetExternalLoginInfoAsync();
        if (info is null) return Results.LocalRedirect("/account/login");
        var users = signIn.UserManager;
        var user = await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
        var email = info.Principal.FindFirstValue(Claims.Email) ?? info.Principal.FindFirstValue(ClaimTypes.Email);
        if (user is null && email is not null)
        {
            user = await users.FindByEmailAsync(email);
            if (user is null && external.AutoProvision)
            {
                user = new GatewayUser
                {
                    UserName = email,
                    Email = email,
                    EmailConfirmed = true,
                    DisplayName = info.Principal.FindFirstValue(Claims.Name) ?? email,
                    CreatedAt = time.GetUtcNow(),
                };
                var created = await users.CreateAsync(user);
                if (!created.Succeeded) return Results.Problem(title: "Could not create the account", statusCode: StatusCodes.Status400BadRequest);
            }
            if (user is not null) await users.AddLoginAsync(user, info);
        }
        if (user is null) return Results.Problem(title: "No local account for this identity", statusCode: StatusCodes.Status403Forbidden);

        if (external.RoleMap.Count > 0)
        {
            var mapped = info.Principal.FindAll(external.RoleClaim)
                .Select(c => external.RoleMap.TryGetValue(c.Value, out var role) ? role : null)
                .OfType<string>().Where(GatewayRoles.All.Contains).ToHashSet(StringComparer.Ordinal);
            var current = await users.GetRolesAsync(user);
            await users.RemoveFromRolesAsync(user, current.Where(r => !mapped.Contains(r)));
            await users.AddToRolesAsync(user, mapped.Where(r => !current.Contains(r)));
        }

        await context.SignOutAsync(IdentityConstants.ExternalScheme);
        await signIn.SignInAsync(user, isPersistent: false, info.LoginProvider);
        log.SignedIn(user.Id, user.Email ?? "", info.LoginProvider, context);
        return Results.LocalRedirect(SafeReturnUrl(returnUrl));
    }

    /// <summary>Only local paths: an open redirect would hand a code to anyone.</summary>
    internal static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
