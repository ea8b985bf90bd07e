using Gateway.Proxy.Counters;
using Gateway.Proxy.Pipeline;

namespace Gateway.Proxy.Policies.Admission;

/// <summary>
/// What admission decided for one request, on <c>HttpContext.Features</c> for metering: the
/// reservation (null when no limit or budget applies), the prompt estimate (counted on first
/// use: at admission when a token limit needs it, else only if metering must estimate), the
/// output tokens granted, and the budget's currency.
/// </summary>
internal sealed class AdmissionTicket(GatewayRequest request, BpeCounter tokenizer)
{
    private long _promptTokens = -1;

    public GatewayRequest Request { get; } = request;

    /// <summary>The tokenizer of the request's model (for estimates).</summary>
    public BpeCounter Tokenizer { get; } = tokenizer;

    public CounterReservation? Reservation { get; set; }

    /// <summary>The output tokens the request may produce (after caps and clamping); 0 when it has none.</summary>
    public long OutputTokens { get; set; }

    /// <summary>True when admission lowered the body's output limit.</summary>
    public bool Clamped { get; set; }

    /// <summary>The prompt's tokens by the model's tokenizer.</summary>
    public long PromptTokens
    {
        get
        {
            if (_promptTokens < 0) _promptTokens = PromptTokenEstimator.Count(Request.Operation, Request.Body, Tokenizer);
            return _promptTokens;
        }
    }
}

internal static class AdmissionTicketExtensions
{
    public static AdmissionTicket? GetAdmissionTicket(this HttpContext context) => context.Features.Get<AdmissionTicket>();
}
