namespace Gateway.Proxy.Relay;

/// <summary>
/// Merges usage reports as they arrive (Anthropic sends input in <c>message_start</c> and output
/// in <c>message_delta</c>; a later figure supersedes an earlier one) and normalises them.
/// </summary>
internal struct UsageAccumulator(bool anthropic)
{
    private long _input;
    private long _cached;
    private long _cacheCreation;
    private long _output;
    private bool _outOfRange;

    public bool Seen { get; private set; }

    /// <summary>
    /// Whether the usage can be true: every count reported from 0 to <see cref="TokenUsage.MaxPlausibleTokens"/>
    /// and the cached part at most the input. A provider's report that is not (a negative count, a
    /// cached figure over the input, an input left out beside its cached part) is not metered as it
    /// stands: the ledger would refuse the record, and the counters would be settled below what was used.
    /// </summary>
    public readonly bool Plausible => !_outOfRange && Current.CachedInputTokens <= Current.InputTokens;

    public void Set(UsageField field, long value)
    {
        Seen = true;
        if (value is < 0 or > TokenUsage.MaxPlausibleTokens) _outOfRange = true;
        switch (field)
        {
            case UsageField.Input: _input = value; break;
            case UsageField.Output: _output = value; break;
            case UsageField.Cached: _cached = value; break;
            case UsageField.CacheCreation: _cacheCreation = value; break;
        }
    }

    /// <summary>
    /// OpenAI's input counts include cached tokens; Anthropic's <c>input_tokens</c> excludes cache
    /// reads and writes, which are added here so <see cref="TokenUsage.InputTokens"/> means the same for both.
    /// </summary>
    public readonly TokenUsage Current => anthropic
        ? new TokenUsage(_input + _cached + _cacheCreation, _cached, _output)
        : new TokenUsage(_input, _cached, _output);

    /// <summary>The field a usage member name stands for.</summary>
    public static UsageField FieldOf(ReadOnlySpan<byte> name)
    {
        if (name.SequenceEqual("prompt_tokens"u8) || name.SequenceEqual("input_tokens"u8)) return UsageField.Input;
        if (name.SequenceEqual("completion_tokens"u8) || name.SequenceEqual("output_tokens"u8)) return UsageField.Output;
        if (name.SequenceEqual("cache_read_input_tokens"u8)) return UsageField.Cached;
        if (name.SequenceEqual("cache_creation_input_tokens"u8)) return UsageField.CacheCreation;
        if (name.SequenceEqual("prompt_tokens_details"u8) || name.SequenceEqual("input_tokens_details"u8) || name.SequenceEqual("input_token_details"u8))
            return UsageField.Details;
        return UsageField.None;
    }
}

internal enum UsageField
{
    None,
    Input,
    Output,
    Cached,
    CacheCreation,
    Details,
}
