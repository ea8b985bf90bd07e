namespace Gateway.MockLlm.Http;

/// <summary>
/// A request MockLlm refuses: the pipeline turns it into the provider's error body with
/// <see cref="Status"/>. Thrown only on bad input, never on the happy path.
/// </summary>
internal sealed class MockHttpException(int status, string message, string? param = null, string? code = null)
    : Exception(message)
{
    public int Status { get; } = status;

    public string? Param { get; } = param;

    public string? Code { get; } = code;
}
