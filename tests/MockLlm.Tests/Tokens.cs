using Microsoft.ML.Tokenizers;

namespace Gateway.MockLlm.Tests;

/// <summary>The test's own o200k_base tokenizer, independent of MockLlm's counter.</summary>
public static class Tokens
{
    private static readonly Tokenizer Tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");

    public static int Count(string text) => Tokenizer.CountTokens(text);
}
