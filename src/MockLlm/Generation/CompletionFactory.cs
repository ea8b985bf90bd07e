using Gateway.MockLlm.Knobs;
using Microsoft.Extensions.Options;

namespace Gateway.MockLlm.Generation;

/// <summary>Decides a completion's length (knob, else seed) and applies the request's output cap.</summary>
internal sealed class CompletionFactory(Vocabulary vocabulary, IOptions<MockLlmOptions> options)
{
    private readonly int _min = options.Value.MinOutputTokens;
    private readonly int _span = options.Value.MaxOutputTokens - options.Value.MinOutputTokens + 1;

    public Vocabulary Vocabulary => vocabulary;

    /// <summary>The completion for <paramref name="seed"/>; <paramref name="capped"/> is true when <paramref name="maxTokens"/> cut it short.</summary>
    public Completion Create(ulong seed, in MockKnobs knobs, int? maxTokens, out bool capped)
    {
        var tokens = knobs.OutputTokens ?? _min + (int)(RequestSeed.Mix(seed ^ 0x5DEECE66DUL) % (ulong)_span);
        capped = maxTokens is { } cap && cap < tokens;
        if (capped) tokens = maxTokens!.Value;
        return new Completion(vocabulary, seed, tokens);
    }
}
