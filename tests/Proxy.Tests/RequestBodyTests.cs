using System.Text;
using Gateway.Contracts.Errors;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Providers;

namespace Gateway.Proxy.Tests;

public sealed class RequestBodyTests
{
    private static RequestBodyInfo Inspect(string json)
    {
        Assert.True(RequestBodyInspector.TryInspect(Encoding.UTF8.GetBytes(json), out var info, out var error), error.Message);
        return info;
    }

    private static BodyError Fail(byte[] body)
    {
        Assert.False(RequestBodyInspector.TryInspect(body, out _, out var error));
        return error;
    }

    private static BodyError Fail(string json) => Fail(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Inspect_FindsModelStreamUsageAndMaxTokens()
    {
        const string json = """{"messages":[{"role":"user","content":"hi","model":"nested"}],"model":"chat","stream":true,"stream_options":{"include_usage":true},"max_tokens":64}""";

        var info = Inspect(json);

        Assert.Equal("\"chat\"", json.Substring(info.ModelTokenStart, info.ModelTokenLength));
        Assert.True(info.Stream);
        Assert.True(info.HasStreamOptions);
        Assert.True(info.IncludeUsage);
        Assert.Equal(64, info.MaxTokens);
    }

    [Fact]
    public void Inspect_StreamOptionsWithoutIncludeUsage_IsNoted()
    {
        var info = Inspect("""{"model":"chat","stream":true,"stream_options":{"include_obfuscation":false}}""");

        Assert.True(info.HasStreamOptions);
        Assert.False(info.IncludeUsage);
    }

    [Fact]
    public void TryCopyModel_UnescapesTheName()
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"ch\u0061t"}""");
        RequestBodyInspector.TryInspect(body, out var info, out _);
        Span<char> name = stackalloc char[64];

        Assert.True(RequestBodyInspector.TryCopyModel(body, info, name, out var written));
        Assert.Equal("chat", name[..written].ToString());
    }

    [Fact]
    public void MalformedJson_NamesTheLineAndColumn()
    {
        var error = Fail("{\n  \"model\": \"chat\",\n  \"messages\": [,]\n}");

        Assert.Equal(GatewayErrorCodes.InvalidJson, error.Code);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("column 16", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"chat","messages":[""")]
    [InlineData("""{"model":"chat"} trailing""")]
    [InlineData("""{"model":"chat",}""")]
    [InlineData("""{"model":"chat" /* comment */}""")]
    [InlineData("   ")]
    public void TruncatedOrInvalidJson_IsInvalidJson(string json) =>
        Assert.Equal(GatewayErrorCodes.InvalidJson, Fail(json).Code);

    [Fact]
    public void InvalidUtf8_IsInvalidJson() =>
        Assert.Equal(GatewayErrorCodes.InvalidJson, Fail([.. "{\"model\":\"ch"u8, 0xC3, 0x28, .. "\"}"u8]).Code);

    [Theory]
    [InlineData("""{"model":42}""")]
    [InlineData("""{"model":null}""")]
    [InlineData("""{"model":["chat"]}""")]
    public void NonStringModel_IsMissingModel(string json)
    {
        var error = Fail(json);
        Assert.Equal(GatewayErrorCodes.MissingModel, error.Code);
        Assert.Equal("model", error.Param);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"chat\"")]
    [InlineData("42")]
    public void NonObjectBody_IsInvalidRequest(string json) =>
        Assert.Equal(GatewayErrorCodes.InvalidRequest, Fail(json).Code);

    [Fact]
    public void NonBooleanStream_IsInvalidRequest() =>
        Assert.Equal("stream", Fail("""{"model":"chat","stream":"yes"}""").Param);

    [Fact]
    public void Rewrite_ReplacesTheModelToken()
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"chat","messages":[]}""");
        RequestBodyInspector.TryInspect(body, out var info, out _);

        var rewritten = BodyRewriter.Rewrite(body, info, "\"up-1\""u8, setModel: true, injectUsage: false);

        Assert.Equal("""{"model":"up-1","messages":[]}""", Encoding.UTF8.GetString(rewritten.Span));
    }

    [Fact]
    public void Rewrite_InsertsModelAndIncludeUsage()
    {
        var body = Encoding.UTF8.GetBytes("""{ "messages":[], "stream":true }""");
        RequestBodyInspector.TryInspect(body, out var info, out _);

        var rewritten = Encoding.UTF8.GetString(BodyRewriter.Rewrite(body, info, "\"up-1\""u8, setModel: true, injectUsage: true).Span);

        Assert.Equal("""{"model":"up-1","stream_options":{"include_usage":true}, "messages":[], "stream":true }""", rewritten);
    }

    [Fact]
    public void Rewrite_EmptyObject_StaysValid()
    {
        var body = "{}"u8.ToArray();
        RequestBodyInspector.TryInspect(body, out var info, out _);

        Assert.Equal("""{"model":"up-1"}""", Encoding.UTF8.GetString(BodyRewriter.Rewrite(body, info, "\"up-1\""u8, true, false).Span));
    }

    [Fact]
    public void Rewrite_ExistingStreamOptions_GetIncludeUsage()
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"chat","stream":true,"stream_options":{"include_obfuscation":false}}""");
        RequestBodyInspector.TryInspect(body, out var info, out _);

        var rewritten = Encoding.UTF8.GetString(BodyRewriter.Rewrite(body, info, "\"up-1\""u8, true, true).Span);

        Assert.Equal("""{"model":"up-1","stream":true,"stream_options":{"include_obfuscation":false,"include_usage":true}}""", rewritten);
    }

    [Fact]
    public void Rewrite_NothingToChange_ReturnsTheSameBytes()
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"up-1"}""");
        RequestBodyInspector.TryInspect(body, out var info, out _);
        ReadOnlyMemory<byte> memory = body;

        Assert.True(BodyRewriter.Rewrite(memory, info, "\"up-1\""u8, true, false).Equals(memory));
    }

    [Theory]
    [InlineData("abc", true)]
    [InlineData("req_01.ab:c-D", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("bad\u00e9", false)]
    public void RequestIds_AcceptOnlySaneValues(string id, bool sane) => Assert.Equal(sane, RequestIds.IsSane(id));

    [Fact]
    public void RequestIds_RejectTooLong() => Assert.False(RequestIds.IsSane(new string('a', 129)));

    [Fact]
    public void NewRequestIds_AreSaneUuidV7s_WithTheTime_AndAllDifferent()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ids = Enumerable.Range(0, 10_000).Select(_ => RequestIds.New()).ToList();
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        foreach (var id in ids)
        {
            Assert.Matches("^req_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$", id);
            Assert.True(RequestIds.IsSane(id));
            var milliseconds = long.Parse(id.AsSpan(4, 12), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(milliseconds, before, after);
        }
        // The random part varies in every position it has (74 bits), not only in a few.
        var random = ids.Select(id => string.Concat(id.AsSpan(17, 3), id.AsSpan(21))).ToList(); // rand_a, then rand_b after the variant digit
        for (var position = 0; position < 18; position++)
            Assert.True(random.Select(r => r[position]).Distinct().Count() > 8, $"random hex digit {position} barely varies");
        Assert.Equal(7, Guid.Parse(ids[0][4..]).Version);
    }
}
