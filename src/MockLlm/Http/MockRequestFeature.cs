namespace Gateway.MockLlm.Http;

/// <summary>Per-request state: the request id (taken from <c>x-request-id</c> or generated).</summary>
internal sealed class MockRequestFeature(string requestId)
{
    public string RequestId { get; } = requestId;

    /// <summary>The tally entry this request counts into, once it has one.</summary>
    public Tally.TallyEntry? Tally { get; set; }
}

internal static class MockRequestExtensions
{
    public static string RequestId(this HttpContext context) =>
        context.Features.Get<MockRequestFeature>()?.RequestId ?? context.TraceIdentifier;
}
