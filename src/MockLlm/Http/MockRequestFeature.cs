namespace Gateway.MockLlm.Http;

/// <summary>Per-request state: the request id (taken from <c>x-request-id</c> or generated).</summary>
internal sealed class MockRequestFeature(string requestId)
{
    public string RequestId { get; } = requestId;
}

internal static class MockRequestExtensions
{
    public static string RequestId(this HttpContext context) =>
        context.Features.Get<MockRequestFeature>()?.RequestId ?? context.TraceIdentifier;
}
