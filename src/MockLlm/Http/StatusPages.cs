using Microsoft.AspNetCore.Diagnostics;

namespace Gateway.MockLlm.Http;

/// <summary>Unknown paths (404) and wrong methods (405) answered in the path's provider shape.</summary>
internal static class StatusPages
{
    public static Task WriteAsync(StatusCodeContext status)
    {
        var context = status.HttpContext;
        var code = context.Response.StatusCode;
        var message = code switch
        {
            StatusCodes.Status404NotFound => $"Invalid URL ({context.Request.Method} {context.Request.Path}).",
            StatusCodes.Status405MethodNotAllowed => $"Method {context.Request.Method} is not allowed on {context.Request.Path}.",
            _ => $"Request failed with status {code}.",
        };
        return ProviderErrors.WriteAsync(context, ProviderPaths.Of(context.Request.Path), code, message);
    }
}
