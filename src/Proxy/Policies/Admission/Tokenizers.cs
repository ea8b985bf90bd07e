namespace Gateway.Proxy.Policies.Admission;

/// <summary>
/// The token counters the proxy estimates with (<see cref="BpeCounter"/>, created once,
/// thread-safe): <c>o200k_base</c> (current OpenAI models) and <c>cl100k_base</c> (older ones),
/// chosen by the model's <c>Tokenizer</c>. Any other model — Claude, open models, no tokenizer
/// named — is counted with o200k_base: its vocabulary is the closest public match for modern BPE
/// models, so the estimate stays within a few per cent. Estimates only reserve and stand in for
/// usage a provider did not report; settled figures are the provider's.
/// </summary>
internal static class Tokenizers
{
    public const string O200k = "o200k_base";
    public const string Cl100k = "cl100k_base";

    private static readonly Lazy<BpeCounter> O200kCounter = new(() => BpeCounter.Load(O200k));
    private static readonly Lazy<BpeCounter> Cl100kCounter = new(() => BpeCounter.Load(Cl100k));

    /// <summary>The counter for a model's <c>Tokenizer</c> setting (null or unknown: o200k_base).</summary>
    public static BpeCounter For(string? name) =>
        string.Equals(name, Cl100k, StringComparison.OrdinalIgnoreCase) ? Cl100kCounter.Value : O200kCounter.Value;

    /// <summary>Loads both vocabularies (start-up, so the first request does not pay for it).</summary>
    public static void Warm()
    {
        _ = O200kCounter.Value.Count("warm");
        _ = Cl100kCounter.Value.Count("warm");
    }

    /// <summary>Both vocabularies are loaded.</summary>
    public static bool Loaded => O200kCounter.IsValueCreated && Cl100kCounter.IsValueCreated;
}
