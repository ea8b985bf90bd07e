using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The response headers a browser-facing service sends with every answer, error pages included
/// (they are added as the response starts, after an exception handler has cleared the headers):
/// no MIME sniffing, no framing by another site (clickjacking of the sign-in page and the portal),
/// no referrer leaving the site, a browsing context of its own, and the service's content
/// security policy for the paths it names.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Adds the headers. <paramref name="contentSecurityPolicy"/>, when given, is sent on the
    /// responses <paramref name="policyApplies"/> picks (every response when null).
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, string? contentSecurityPolicy = null, Func<HttpContext, bool>? policyApplies = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var (context, policy, applies) = ((HttpContext, string?, Func<HttpContext, bool>?))state;
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                if (policy is not null && (applies is null || applies(context))) headers.ContentSecurityPolicy = policy;
                return Task.CompletedTask;
            }, (context, contentSecurityPolicy, policyApplies));
            return next(context);
        });
    }
}
