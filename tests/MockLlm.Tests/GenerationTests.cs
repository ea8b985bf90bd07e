using Gateway.MockLlm.Generation;
using Gateway.MockLlm.Knobs;
using Microsoft.Extensions.Options;

namespace Gateway.MockLlm.Tests;

/// <summary>The deterministic generator: exact token counts, chunk splits, prefixes.</summary>
public sealed class GenerationTests
{
    private static readonly MockLlmOptions Defaults = new();
    private static readonly Vocabulary Vocabulary = new();

    [Fact]
    public void Vocabulary_KeepsOnlySingleTokenWords()
    {
        Assert.True(Vocabulary.Count >= 64);
        for (var i = 0; i < Vocabulary.Count; i++)
        {
            Assert.Equal(1, Tokens.Count(System.Text.Encoding.ASCII.GetString(Vocabulary.Word(i, first: true))));
            Assert.Equal(1, Tokens.Count(System.Text.Encoding.ASCII.GetString(Vocabulary.Word(i, first: false))));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(500)]
    public void Completion_OfNWords_IsExactlyNTokens_AndChunksConcatenateToIt(int tokens)
    {
        for (var seed = 0UL; seed < 40; seed++)
        {
            var completion = new Completion(Vocabulary, RequestSeed.Mix(seed), tokens);
            var text = completion.ToText();
            Assert.Equal(tokens, Tokens.Count(text));

            var chunks = Math.Min(tokens, 1 + (int)(seed % 9));
            var joined = new System.Text.StringBuilder();
            var counted = 0;
            for (var c = 0; c < chunks; c++)
            {
                var start = Completion.ChunkStart(tokens, chunks, c);
                var end = Completion.ChunkStart(tokens, chunks, c + 1);
                using var part = completion.Rent(start, end);
                var piece = System.Text.Encoding.UTF8.GetString(part.Span);
                counted += end - start;
                joined.Append(piece);
            }
            Assert.Equal(text, joined.ToString());
            Assert.Equal(tokens, counted);
        }
    }

    [Fact]
    public void CappedCompletion_IsAPrefixOfTheUncapped()
    {
        var factory = new CompletionFactory(Vocabulary, Options.Create(Defaults));
        var knobs = MockKnobs.From(new Microsoft.AspNetCore.Http.HeaderDictionary(), Defaults) with { OutputTokens = 30 };
        var full = factory.Create(42, knobs, null, out var fullCapped).ToText();
        var capped = factory.Create(42, knobs, 5, out var wasCapped).ToText();

        Assert.False(fullCapped);
        Assert.True(wasCapped);
        Assert.StartsWith(capped, full, StringComparison.Ordinal);
        Assert.Equal(5, Tokens.Count(capped));
    }

    [Fact]
    public void DefaultLength_ComesFromTheSeed_WithinTheConfiguredRange()
    {
        var factory = new CompletionFactory(Vocabulary, Options.Create(Defaults));
        var knobs = MockKnobs.From(new Microsoft.AspNetCore.Http.HeaderDictionary(), Defaults);
        var lengths = new HashSet<int>();
        for (var seed = 0UL; seed < 200; seed++)
        {
            var length = factory.Create(RequestSeed.Mix(seed), knobs, null, out _).Tokens;
            Assert.InRange(length, Defaults.MinOutputTokens, Defaults.MaxOutputTokens);
            Assert.Equal(length, factory.Create(RequestSeed.Mix(seed), knobs, null, out _).Tokens);
            lengths.Add(length);
        }
        Assert.True(lengths.Count > 5, "lengths vary with the request");
    }
}
