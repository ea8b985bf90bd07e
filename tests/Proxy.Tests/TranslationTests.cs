using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Proxy.Providers.Translation;

namespace Gateway.Proxy.Tests;

public sealed class TranslationTests
{
    private static JsonElement Parse(byte[] bytes) => JsonDocument.Parse(bytes).RootElement;

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void ChatRequest_BecomesAnthropicMessages()
    {
        const string chat = """
            {"model":"claude","max_completion_tokens":300,"temperature":1.5,"stop":"END","user":"u-1","stream":true,
             "messages":[
              {"role":"system","content":"Be brief."},
              {"role":"developer","content":[{"type":"text","text":"Use metric units."}]},
              {"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"q\":\"x\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"42"}
             ],
             "tools":[{"type":"function","function":{"name":"lookup","description":"Look up","parameters":{"type":"object","properties":{"q":{"type":"string"}}}}}],
             "tool_choice":"required","parallel_tool_calls":false}
            """;

        var root = Parse(ChatToMessagesRequest.Translate(Utf8(chat), "up-claude", 4096));

        Assert.Equal("up-claude", root.GetProperty("model").GetString());
        Assert.Equal(300, root.GetProperty("max_tokens").GetInt32());
        Assert.Equal(1.0, root.GetProperty("temperature").GetDouble());
        Assert.Equal("Be brief.\n\nUse metric units.", root.GetProperty("system").GetString());
        Assert.Equal("END", root.GetProperty("stop_sequences")[0].GetString());
        Assert.True(root.GetProperty("stream").GetBoolean());
        Assert.Equal("u-1", root.GetProperty("metadata").GetProperty("user_id").GetString());
        var messages = root.GetProperty("messages");
        Assert.Equal(3, messages.GetArrayLength());
        var image = messages[0].GetProperty("content")[1];
        Assert.Equal("image", image.GetProperty("type").GetString());
        Assert.Equal("image/png", image.GetProperty("source").GetProperty("media_type").GetString());
        var toolUse = messages[1].GetProperty("content")[0];
        Assert.Equal("tool_use", toolUse.GetProperty("type").GetString());
        Assert.Equal("x", toolUse.GetProperty("input").GetProperty("q").GetString());
        var toolResult = messages[2].GetProperty("content")[0];
        Assert.Equal("user", messages[2].GetProperty("role").GetString());
        Assert.Equal("call_1", toolResult.GetProperty("tool_use_id").GetString());
        Assert.Equal("42", toolResult.GetProperty("content").GetString());
        Assert.Equal("lookup", root.GetProperty("tools")[0].GetProperty("name").GetString());
        Assert.Equal("object", root.GetProperty("tools")[0].GetProperty("input_schema").GetProperty("type").GetString());
        Assert.Equal("any", root.GetProperty("tool_choice").GetProperty("type").GetString());
        Assert.True(root.GetProperty("tool_choice").GetProperty("disable_parallel_tool_use").GetBoolean());
    }

    [Fact]
    public void ChatRequest_WithoutMaxTokens_GetsTheDefault() =>
        Assert.Equal(512, Parse(ChatToMessagesRequest.Translate(Utf8("""{"model":"c","messages":[{"role":"user","content":"hi"}]}"""), "u", 512)).GetProperty("max_tokens").GetInt32());

    [Theory]
    [InlineData("""{"model":"c","messages":"hi"}""", "messages")]
    [InlineData("""{"model":"c","n":2,"messages":[]}""", "n")]
    [InlineData("""{"model":"c","messages":[{"role":"user","content":[{"type":"input_audio"}]}]}""", "messages[0].content")]
    [InlineData("""{"model":"c","messages":[{"role":"wizard","content":"x"}]}""", "messages[0].role")]
    public void ChatRequest_Untranslatable_NamesTheParam(string json, string param)
    {
        var ex = Assert.Throws<TranslationException>(() => ChatToMessagesRequest.Translate(Utf8(json), "u", 100));
        Assert.Equal(param, ex.Param);
    }

    [Fact]
    public void MessagesRequest_BecomesChat()
    {
        const string messages = """
            {"model":"gpt","max_tokens":100,"system":[{"type":"text","text":"Be brief."}],"stop_sequences":["END"],"stream":true,
             "metadata":{"user_id":"u-2"},
             "messages":[
              {"role":"user","content":"Weather?"},
              {"role":"assistant","content":[{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"Sunny"}]},{"type":"text","text":"Thanks"}]}
             ],
             "tools":[{"name":"weather","description":"Weather","input_schema":{"type":"object"}}],
             "tool_choice":{"type":"tool","name":"weather","disable_parallel_tool_use":true}}
            """;

        var root = Parse(MessagesToChatRequest.Translate(Utf8(messages), "up-gpt"));

        Assert.Equal("up-gpt", root.GetProperty("model").GetString());
        Assert.Equal(100, root.GetProperty("max_tokens").GetInt32());
        Assert.Equal("END", root.GetProperty("stop")[0].GetString());
        Assert.True(root.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal("u-2", root.GetProperty("user").GetString());
        var chat = root.GetProperty("messages");
        Assert.Equal(5, chat.GetArrayLength());
        Assert.Equal("system", chat[0].GetProperty("role").GetString());
        Assert.Equal("Be brief.", chat[0].GetProperty("content").GetString());
        var call = chat[2].GetProperty("tool_calls")[0];
        Assert.Equal("toolu_1", call.GetProperty("id").GetString());
        Assert.Equal("Paris", JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("city").GetString());
        Assert.Equal("tool", chat[3].GetProperty("role").GetString());
        Assert.Equal("Sunny", chat[3].GetProperty("content").GetString());
        Assert.Equal("Thanks", chat[4].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("weather", root.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("weather", root.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());
        Assert.False(root.GetProperty("parallel_tool_calls").GetBoolean());
    }

    [Fact]
    public void AnthropicMessage_BecomesChatCompletion_WithNormalisedUsage()
    {
        const string message = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[{"type":"text","text":"Hello"},{"type":"tool_use","id":"toolu_1","name":"f","input":{"a":1}}],
             "stop_reason":"tool_use","usage":{"input_tokens":10,"cache_read_input_tokens":4,"cache_creation_input_tokens":1,"output_tokens":6}}
            """;

        var root = Parse(ResponseBodies.MessageToChatCompletion(Utf8(message), 1700000000));

        var choice = root.GetProperty("choices")[0];
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.Equal("Hello", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("{\"a\":1}", choice.GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
        var usage = root.GetProperty("usage");
        Assert.Equal(15, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(6, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(21, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(4, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Fact]
    public void ChatCompletion_BecomesAnthropicMessage()
    {
        const string chat = """
            {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-x","choices":[{"index":0,"message":{"role":"assistant","content":"Hi","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"b\":2}"}}]},"finish_reason":"length"}],
             "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,"prompt_tokens_details":{"cached_tokens":2}}}
            """;

        var root = Parse(ResponseBodies.ChatCompletionToMessage(Utf8(chat)));

        Assert.Equal("message", root.GetProperty("type").GetString());
        Assert.Equal("Hi", root.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(2, root.GetProperty("content")[1].GetProperty("input").GetProperty("b").GetInt32());
        Assert.Equal("max_tokens", root.GetProperty("stop_reason").GetString());
        Assert.Equal(10, root.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(2, root.GetProperty("usage").GetProperty("cache_read_input_tokens").GetInt32());
        Assert.Equal(5, root.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Theory]
    [InlineData("""{"type":"error","error":{"type":"invalid_request_error","message":"bad thing"}}""", false)]
    [InlineData("""{"error":{"message":"bad thing","type":"invalid_request_error","param":null,"code":null}}""", true)]
    public void ErrorBodies_AreReshapedForTheClient(string upstream, bool anthropicClient)
    {
        var root = Parse(ResponseBodies.ErrorBody(Utf8(upstream), 400, anthropicClient));

        Assert.Equal("bad thing", root.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", root.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(anthropicClient, root.TryGetProperty("type", out _));
    }

    private static List<(string? Event, JsonElement? Data, bool Done)> Events(ArrayBufferWriter<byte> output)
    {
        var list = new List<(string?, JsonElement?, bool)>();
        foreach (var block in Encoding.UTF8.GetString(output.WrittenSpan).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null;
            string? data = null;
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
                if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
            }
            list.Add(data == "[DONE]" ? (name, null, true) : (name, JsonDocument.Parse(data!).RootElement.Clone(), false));
        }
        return list;
    }

    [Fact]
    public void AnthropicStream_BecomesChatChunks_EventByEvent()
    {
        using var translator = new AnthropicToChatStream(1700000000, includeUsage: true);
        var output = new ArrayBufferWriter<byte>();
        void Send(string name, string data) => translator.OnEvent(Utf8(name), Utf8(data), output);

        Send("message_start", """{"type":"message_start","message":{"id":"msg_1","model":"claude-x","usage":{"input_tokens":9,"output_tokens":1}}}""");
        Assert.Single(Events(output));
        Send("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""");
        Send("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}""");
        Send("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}""");
        Send("ping", """{"type":"ping"}""");
        Send("content_block_stop", """{"type":"content_block_stop","index":0}""");
        Send("content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"f","input":{}}}""");
        Send("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\":"}}""");
        Send("message_delta", """{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":7}}""");
        Assert.False(translator.Finished);
        Send("message_stop", """{"type":"message_stop"}""");

        var events = Events(output);
        Assert.True(translator.Finished);
        Assert.Equal("assistant", events[0].Data!.Value.GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("Hel", events[1].Data!.Value.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
        Assert.Equal("lo", events[2].Data!.Value.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
        var toolStart = events[3].Data!.Value.GetProperty("choices")[0].GetProperty("delta").GetProperty("tool_calls")[0];
        Assert.Equal("toolu_1", toolStart.GetProperty("id").GetString());
        Assert.Equal("{\"a\":", events[4].Data!.Value.GetProperty("choices")[0].GetProperty("delta").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("tool_calls", events[5].Data!.Value.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var usage = events[6].Data!.Value;
        Assert.Equal(0, usage.GetProperty("choices").GetArrayLength());
        Assert.Equal(9, usage.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(7, usage.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.True(events[7].Done);
        Assert.Equal(8, events.Count);
    }

    [Fact]
    public void AnthropicStream_WithoutIncludeUsage_EndsWithDoneOnly()
    {
        using var translator = new AnthropicToChatStream(1, includeUsage: false);
        var output = new ArrayBufferWriter<byte>();
        translator.OnEvent("message_start"u8, """{"type":"message_start","message":{"id":"m","model":"c","usage":{"input_tokens":1}}}"""u8, output);
        translator.OnEvent("message_stop"u8, """{"type":"message_stop"}"""u8, output);

        var events = Events(output);
        Assert.Equal(2, events.Count);
        Assert.True(events[1].Done);
    }

    [Fact]
    public void ChatStream_BecomesAnthropicEvents_EventByEvent()
    {
        using var translator = new ChatToAnthropicStream();
        var output = new ArrayBufferWriter<byte>();
        void Send(string data) => translator.OnEvent(default, Utf8(data), output);

        Send("""{"id":"c1","model":"gpt-x","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""");
        Assert.Equal("message_start", Assert.Single(Events(output)).Event);
        Send("""{"id":"c1","model":"gpt-x","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}""");
        Send("""{"id":"c1","model":"gpt-x","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]},"finish_reason":null}]}""");
        Send("""{"id":"c1","model":"gpt-x","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]},"finish_reason":null}]}""");
        Send("""{"id":"c1","model":"gpt-x","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""");
        Send("""{"id":"c1","model":"gpt-x","choices":[],"usage":{"prompt_tokens":8,"completion_tokens":3,"total_tokens":11}}""");
        Send("[DONE]");

        var events = Events(output);
        string?[] names = ["message_start", "content_block_start", "content_block_delta", "content_block_stop", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"];
        Assert.Equal(names, events.Select(e => e.Event).ToArray());
        Assert.Equal("Hi", events[2].Data!.Value.GetProperty("delta").GetProperty("text").GetString());
        Assert.Equal("tool_use", events[4].Data!.Value.GetProperty("content_block").GetProperty("type").GetString());
        Assert.Equal("{}", events[5].Data!.Value.GetProperty("delta").GetProperty("partial_json").GetString());
        var delta = events[7].Data!.Value;
        Assert.Equal("tool_use", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(8, delta.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(3, delta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.True(translator.Finished);
    }
}
