using Gateway.ControlPlane.Infrastructure;

namespace Gateway.ControlPlane.Features.Identity;

/// <summary>
/// The authentication trail a bank's security monitoring reads (events 520–523): each sign-in,
/// each refused one with the e-mail that was tried, each lock-out, each sign-out, with the client's
/// address. Never a password.
/// </summary>
internal sealed partial class SignInLog(ILogger<SignInLog> logger)
{
    public void SignedIn(string userId, string email, string method, HttpContext context) =>
        LogSignedIn(userId, Printable(email), method, Address(context));

    public void Refused(string email, HttpContext context) => LogRefused(Printable(email), Address(context));

    public void LockedOut(string email, HttpContext context) => LogLockedOut(Printable(email), Address(context));

    public void SignedOut(string userId, HttpContext context) => LogSignedOut(userId, Address(context));

    private static string Printable(string text) => PlainText.Printable(text, 256);

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    [LoggerMessage(EventId = 520, Level = LogLevel.Information, Message = "Signed in: user {UserId} ({Email}) by {Method} from {Address}")]
    private partial void LogSignedIn(string userId, string email, string method, string address);

    [LoggerMessage(EventId = 521, Level = LogLevel.Warning, Message = "Sign-in refused for {Email} from {Address}: wrong e-mail or password")]
    private partial void LogRefused(string email, string address);

    [LoggerMessage(EventId = 522, Level = LogLevel.Warning, Message = "Sign-in refused for {Email} from {Address}: the account is locked after failed attempts")]
    private partial void LogLockedOut(string email, string address);

    [LoggerMessage(EventId = 523, Level = LogLevel.Information, Message = "Signed out: user {UserId} from {Address}")]
    private partial void LogSignedOut(string userId, string address);
}
