using System.Net;

namespace Gateway.Portal.Api;

/// <summary>
/// A failed call to the control plane, carrying what its RFC 9457 problem said: status, title,
/// detail and the per-field errors (camelCase field paths). <see cref="UserMessage"/> is what the
/// UI shows; nothing here ever carries a stack trace to the page.
/// </summary>
internal sealed class ApiException : Exception
{
    public ApiException(int status, string title, string? detail, IReadOnlyDictionary<string, string[]>? errors = null, string? traceId = null)
        : base(detail ?? title)
    {
        Status = status;
        Title = title;
        Detail = detail;
        Errors = errors ?? new Dictionary<string, string[]>();
        TraceId = traceId;
    }

    public ApiException()
        : this(0, "Error", null)
    {
    }

    public ApiException(string message)
        : this(0, message, null)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Title = message;
        Errors = new Dictionary<string, string[]>();
    }

    /// <summary>The HTTP status; 0 when the control plane could not be reached.</summary>
    public int Status { get; }

    public string Title { get; }

    public string? Detail { get; }

    /// <summary>Messages per field path (e.g. <c>limits.requestsPerMinute</c>), from a 400 problem.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    public string? TraceId { get; }

    public bool IsValidation => Status == (int)HttpStatusCode.BadRequest && Errors.Count > 0;

    /// <summary>A readable sentence for a snackbar or an alert.</summary>
    public string UserMessage => Status switch
    {
        0 => "The control plane cannot be reached right now. Try again in a moment.",
        400 when Errors.Count > 0 => "Some values were not accepted: " + string.Join("; ", Errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}")) + ".",
        401 => "Your session has expired. Sign in again to continue.",
        403 => Detail ?? "You are not allowed to do this.",
        >= 500 => $"The control plane could not complete the request ({Status}). Try again; if it keeps failing, tell the platform team" + (TraceId is null ? "." : $" (trace {TraceId})."),
        _ => Detail ?? Title,
    };

    /// <summary>The control plane was unreachable or answered with something that is not a response.</summary>
    public static ApiException Unreachable(Exception inner) => new("The control plane cannot be reached right now.", inner);

    /// <summary>The first message for a field, or null.</summary>
    public string? ErrorFor(string field) => Errors.TryGetValue(field, out var messages) && messages.Length > 0 ? messages[0] : null;
}
