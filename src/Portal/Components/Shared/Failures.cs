using Gateway.Portal.Api;
using Gateway.Portal.Auth;

namespace Gateway.Portal.Components.Shared;

/// <summary>The readable message of a failure, for snackbars and alerts (never a stack trace).</summary>
internal static class Failures
{
    public static string MessageOf(Exception exception) => exception switch
    {
        ApiException api => api.UserMessage,
        SessionExpiredException expired => expired.Message,
        _ => "Something went wrong in the portal. Try again; if it keeps failing, tell the platform team.",
    };

    /// <summary>Whether the user must sign in again to go on.</summary>
    public static bool NeedsSignIn(Exception? exception) =>
        exception is SessionExpiredException || exception is ApiException { Status: 401 };

    /// <summary>Failures a page reports and survives; anything else is a bug for the error boundary.</summary>
    public static bool IsExpected(Exception exception) => exception is ApiException or SessionExpiredException;
}
