namespace Gateway.MockLlm.Generation;

/// <summary>
/// The prompt-token formula, the same for JSON and streaming answers (README.md, "Token counts"):
/// <c>prompt = 3 + Σ over messages (3 + tokens(role) + tokens(text of the content) [+ tokens(name) + 1])
/// + tokens(raw JSON of tools)</c>. A system prompt given outside the messages (Anthropic
/// <c>system</c>, Responses <c>instructions</c>, realtime session instructions) counts as one
/// message with role "system". Completions and embeddings count their inputs' tokens only.
/// </summary>
internal static class PromptTokens
{
    public const int PerMessage = 3;
    public const int ReplyPriming = 3;
    public const int PerName = 1;

    /// <summary>tokens("system"), tokens("user"), tokens("assistant"): one each in o200k_base.</summary>
    public const int RoleTokens = 1;
}
