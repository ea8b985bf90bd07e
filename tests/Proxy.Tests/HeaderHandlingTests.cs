using System.Net.Http.Headers;
using Gateway.Proxy.Forwarding;
using Gateway.Proxy.Relay;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Tests;

public sealed class HeaderHandlingTests
{
    [Theory]
    [InlineData("text/event-stream", true)]
    [InlineData("Text/Event-Stream", true)]
    [InlineData("text/event-stream; charset=utf-8", true)]
    [InlineData("text/event-stream ;charset=utf-8", true)]
    [InlineData(" text/event-stream", true)]
    [InlineData("application/json", false)]
    [InlineData("application/json; x=text/event-stream", false)]
    [InlineData("text/event-streams", false)]
    [InlineData("text/event", false)]
    [InlineData("", false)]
    public void IsEventStream_ReadsTheMediaTypeOfTheOneContentType(string contentType, bool expected)
    {
        using var content = new ByteArrayContent([]);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        Assert.Equal(expected, ResponseRelay.IsEventStream(content.Headers));
        if (contentType.Length > 0) Assert.Equal(expected, string.Equals(content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void IsEventStream_IsFalse_WithoutAContentType_OrWithTwo()
    {
        using var none = new ByteArrayContent([]);
        using var two = new ByteArrayContent([]);
        two.Headers.TryAddWithoutValidation("Content-Type", ["text/event-stream", "text/event-stream"]);

        Assert.False(ResponseRelay.IsEventStream(none.Headers));
        Assert.False(ResponseRelay.IsEventStream(two.Headers));
    }

    [Fact]
    public void RemoveFrom_RemovesEveryNameInTheSet_InAnyCase_AndKeepsTheRest()
    {
        var filter = new HeaderFilter(["Authorization", "x-a", "X-B"]);
        using var message = new HttpRequestMessage();
        message.Headers.TryAddWithoutValidation("authorization", "Bearer k");
        message.Headers.TryAddWithoutValidation("X-A", "1");
        message.Headers.TryAddWithoutValidation("x-b", ["2", "3"]);
        message.Headers.TryAddWithoutValidation("x-keep", "4");

        filter.RemoveFrom(message.Headers);

        Assert.Equal(["x-keep"], message.Headers.NonValidated.Select(h => h.Key));
    }

    [Fact]
    public void RemoveFrom_MoreMatchesThanItNotesAtOnce_StillRemovesThemAll()
    {
        var names = Enumerable.Range(0, 20).Select(i => $"x-drop-{i}").ToArray();
        var filter = new HeaderFilter(names);
        using var message = new HttpRequestMessage();
        foreach (var name in names) message.Headers.TryAddWithoutValidation(name.ToUpperInvariant(), "v");
        message.Headers.TryAddWithoutValidation("x-keep", "k");

        filter.RemoveFrom(message.Headers);

        Assert.Equal(["x-keep"], message.Headers.NonValidated.Select(h => h.Key));
    }

    [Fact]
    public void RemoveCopiesOf_RemovesFromTheCopy_WhatTheSourceHadInTheSet()
    {
        var filter = GatewayTransformer.ProviderOnly;
        using var upstream = new HttpResponseMessage();
        upstream.Headers.TryAddWithoutValidation("Set-Cookie", "s=1");
        upstream.Headers.TryAddWithoutValidation("X-RateLimit-Remaining-Tokens", "5");
        upstream.Headers.TryAddWithoutValidation("openai-processing-ms", "42");
        var copy = new HeaderDictionary
        {
            ["set-cookie"] = "s=1",
            ["x-ratelimit-remaining-tokens"] = "5",
            ["openai-processing-ms"] = "42",
        };

        filter.RemoveCopiesOf(upstream.Headers, copy);

        Assert.Equal(["openai-processing-ms"], copy.Keys);
    }
}
