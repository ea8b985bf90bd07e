namespace Gateway.Portal.Auth;

/// <summary>The session's tokens are gone (signed out elsewhere, idle too long, refresh refused): sign in again.</summary>
internal sealed class SessionExpiredException : Exception
{
    public SessionExpiredException()
        : base("Your session has expired. Sign in again to continue.")
    {
    }

    public SessionExpiredException(string message)
        : base(message)
    {
    }

    public SessionExpiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
