using System.Text;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Policies.Admission;

namespace Gateway.Proxy.Tests.Admission;

public sealed class PromptTokenEstimatorTests
{
    // Expected figures come from Microsoft.ML.Tokenizers, independent of the proxy's own counter.
    private static readonly Microsoft.ML.Tokenizers.Tokenizer Reference = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding("o200k_base");

    private static long Count(GatewayOperation operation, string json) => PromptTokenEstimator.Count(operation, Encoding.UTF8.GetBytes(json), Tokenizers.For("o200k_base"));

    private static int T(string text) => Reference.CountTokens(text);

    [Fact]
    public void Chat_FollowsOpenAIsFormula()
    {
        var json = """{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello there, how are you?","name":"bob"}]}""";
        var expected = 3 + (3 + T("system") + T("Be brief.")) + (3 + T("user") + T("Hello there, how are you?") + T("bob") + 1);
        Assert.Equal(expected, Count(GatewayOperation.ChatCompletions, json));
    }

    [Fact]
    public void Chat_CountsTextParts_ToolCalls_AndTheToolsJson()
    {
        var json = """{"messages":[{"role":"user","content":[{"type":"text","text":"Describe"},{"type":"image_url","image_url":{"url":"http://x"}}]},{"role":"assistant","content":null,"tool_calls":[{"id":"1","type":"function","function":{"name":"lookup","arguments":"{\"q\":1}"}}]}],"tools":[{"type":"function","function":{"name":"lookup"}}]}""";
        var expected = 3 + (3 + T("user") + T("Describe")) + (3 + T("assistant") + T("lookup") + T("{\"q\":1}"))
            + T("""[{"type":"function","function":{"name":"lookup"}}]""");
        Assert.Equal(expected, Count(GatewayOperation.ChatCompletions, json));
    }

    [Fact]
    public void Messages_CountTheSystemPromptAsAMessage_AndToolBlocks()
    {
        var json = """{"system":[{"type":"text","text":"Be kind"}],"messages":[{"role":"user","content":"Hi \u00e9"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"calc","input":{"a":1}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"2"}]}]}""";
        var expected = 3 + (3 + T("system") + T("Be kind")) + (3 + T("user") + T("Hi é")) + (3 + T("assistant") + T("calc") + T("""{"a":1}""")) + (3 + T("user") + T("2"));
        Assert.Equal(expected, Count(GatewayOperation.Messages, json));
    }

    [Fact]
    public void Embeddings_And_Completions_CountInputsOnly_TokenIdsByLength()
    {
        Assert.Equal(T("hello world"), Count(GatewayOperation.Embeddings, """{"input":"hello world"}"""));
        Assert.Equal(T("a b") + T("c") + 3 + 2, Count(GatewayOperation.Embeddings, """{"input":["a b","c",[1,2,3],[4,5]]}"""));
        Assert.Equal(3, Count(GatewayOperation.Completions, """{"prompt":[7,8,9]}"""));
    }

    [Fact]
    public void Responses_CountInstructionsAndInput()
    {
        var expected = 3 + (3 + T("system") + T("Short")) + (3 + T("user") + T("Tell me"));
        Assert.Equal(expected, Count(GatewayOperation.Responses, """{"instructions":"Short","input":"Tell me"}"""));
    }

    [Fact]
    public void Inference_Realtime_AndOddBodies_CountZero()
    {
        Assert.Equal(0, Count(GatewayOperation.Inference, """{"inputs":[]}"""));
        Assert.Equal(0, Count(GatewayOperation.ChatCompletions, "[1,2]"));
        Assert.Equal(3, Count(GatewayOperation.ChatCompletions, """{"messages":"not an array"}"""));
        Assert.Equal(0, Count(GatewayOperation.ChatCompletions, "{\"messages\":"));
    }

    [Fact]
    public void Tokenizers_AreChosenByName_WithO200kAsTheFallback()
    {
        Assert.Same(Tokenizers.For("o200k_base"), Tokenizers.For(null));
        Assert.Same(Tokenizers.For("o200k_base"), Tokenizers.For("llama-3"));
        Assert.NotSame(Tokenizers.For("o200k_base"), Tokenizers.For("cl100k_base"));
        Assert.NotEqual(Tokenizers.For("cl100k_base").Count("ваш токенизатор"), Tokenizers.For("o200k_base").Count("ваш токенизатор"));
    }
}
