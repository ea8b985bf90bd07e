using Gateway.MockLlm.Generation;
using Gateway.MockLlm.Http;
using Gateway.MockLlm.Knobs;
using Gateway.MockLlm.Tally;
using Microsoft.Extensions.Options;

namespace Gateway.MockLlm;

/// <summary>What every endpoint needs, resolved once: tokenizer, generator, tally, key check, knobs, clock.</summary>
internal sealed class MockLlmCore(
    TokenCounter tokens, CompletionFactory completions, TallyStore tally, ApiKeys keys,
    IOptions<MockLlmOptions> options, TimeProvider time)
{
    public TokenCounter Tokens => tokens;

    public CompletionFactory Completions => completions;

    public TallyStore Tally => tally;

    public ApiKeys Keys => keys;

    public MockLlmOptions Options => options.Value;

    public TimeProvider Time => time;

    public MockKnobs Knobs(HttpContext context) => MockKnobs.From(context.Request.Headers, options.Value);

    public long UnixNow => time.GetUtcNow().ToUnixTimeSeconds();

    public Task DelayAsync(int milliseconds, CancellationToken cancellationToken) =>
        milliseconds <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromMilliseconds(milliseconds), time, cancellationToken);

    /// <summary>
    /// Answers with the forced error status when the <c>x-mock-status</c> knob asks for one (tallied
    /// as an attempt that served nothing); false when the request should be answered normally.
    /// </summary>
    public async Task<bool> TryForcedErrorAsync(HttpContext context, Provider provider, MockKnobs knobs,
        string endpoint, string model, bool streamed)
    {
        if (knobs.Status is not { } status) return false;
        var entry = tally.Begin(context, endpoint, model, streamed);
        entry.Finish(status, completed: false);
        await ProviderErrors.WriteAsync(context, provider, status, ProviderErrors.ForcedMessage(status),
            retryAfterSeconds: status == StatusCodes.Status429TooManyRequests ? knobs.RetryAfterSeconds : null);
        return true;
    }

    /// <summary>Drops a non-streaming request on the <c>x-mock-drop-after-chunks</c> knob: the connection closes before any byte.</summary>
    public async Task<bool> TryDropJsonAsync(HttpContext context, MockKnobs knobs, TallyEntry entry)
    {
        if (knobs.DropAfterChunks is null) return false;
        entry.Finish(0, completed: false);
        await ConnectionDrop.DropAsync(context);
        return true;
    }
}
