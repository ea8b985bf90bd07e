namespace Gateway.MockLlm.Http;

/// <summary>The wire format a path belongs to: it decides the error shape and the key header.</summary>
internal enum Provider
{
    OpenAI,
    Azure,
    Anthropic,
    KServe,
    Mock,
}

internal static class ProviderPaths
{
    public static Provider Of(PathString path)
    {
        if (path.StartsWithSegments("/openai", StringComparison.OrdinalIgnoreCase)) return Provider.Azure;
        if (path.StartsWithSegments("/v1/messages", StringComparison.OrdinalIgnoreCase)) return Provider.Anthropic;
        if (path.StartsWithSegments("/v2", StringComparison.OrdinalIgnoreCase)) return Provider.KServe;
        if (path.StartsWithSegments("/_mock", StringComparison.OrdinalIgnoreCase)) return Provider.Mock;
        return Provider.OpenAI;
    }
}
