namespace Gateway.Proxy.Providers.Translation;

/// <summary>A request that cannot be expressed in the provider's format (answered 400 with <see cref="Param"/>).</summary>
internal sealed class TranslationException(string message, string? param = null) : Exception(message)
{
    public string? Param { get; } = param;
}
