using Gateway.Proxy.Counters;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Policies.Admission;

namespace Gateway.Proxy.Tests.Admission;

public sealed class FormattingTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(250, "250ms")]
    [InlineData(1000, "1s")]
    [InlineData(12_500, "12.5s")]
    [InlineData(60_000, "1m0s")]
    [InlineData(360_000, "6m0s")]
    [InlineData(3_723_000, "1h2m3s")]
    [InlineData(999, "999ms")]
    [InlineData(1, "1ms")]
    [InlineData(12_050, "12.05s")]
    [InlineData(12_005, "12.005s")]
    [InlineData(59_999, "59.999s")]
    [InlineData(61_500, "1m1.5s")]
    [InlineData(600_010, "10m0.01s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(3_600_007, "1h0m0.007s")]
    [InlineData(90_061_250, "25h1m1.25s")]
    public void Durations_AreWrittenLikeOpenAI(int ms, string expected) =>
        Assert.Equal(expected, RateLimitHeaders.FormatDuration(TimeSpan.FromMilliseconds(ms)));

    [Theory]
    [InlineData("""{"model":"m","max_tokens":1000,"messages":[]}""", "ChatCompletions", """{"model":"m","max_tokens":42,"messages":[]}""")]
    [InlineData("""{"model":"m","max_completion_tokens": 9000 ,"max_tokens":null}""", "ChatCompletions", """{"model":"m","max_completion_tokens": 42 ,"max_tokens":42}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"max_tokens"}]}""", "ChatCompletions", """{"max_tokens":42,"model":"m","messages":[{"role":"user","content":"max_tokens"}]}""")]
    [InlineData("""{"model":"m","input":"x"}""", "Responses", """{"max_output_tokens":42,"model":"m","input":"x"}""")]
    [InlineData("""{}""", "Messages", """{"max_tokens":42}""")]
    [InlineData("""{"metadata":{"max_tokens":5},"max_tokens":7}""", "Messages", """{"metadata":{"max_tokens":5},"max_tokens":42}""")]
    public void MaxTokens_IsReplacedOrInserted_AndTheRestIsKept(string body, string operation, string expected) =>
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(MaxTokensRewriter.Rewrite(System.Text.Encoding.UTF8.GetBytes(body), Enum.Parse<GatewayOperation>(operation), 42)));

    [Fact]
    public void Money_RoundsReservationsUp_AndSettlementsToTheNearestNanoUnit()
    {
        Assert.Equal(3, Money.ToUnitsCeiling(0.0000000021m));
        Assert.Equal(2, Money.ToUnits(0.0000000021m));
        Assert.Equal(500_000_000_000, Money.ToUnits(500m));
        Assert.Equal(0.0025m, Money.FromUnits(2_500_000));
    }

    [Fact]
    public void Windows_AlignToTheUtcMinuteAndMonth()
    {
        var now = new DateTimeOffset(2026, 12, 31, 23, 59, 30, TimeSpan.FromHours(2));
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 21, 59, 0, TimeSpan.Zero), CounterWindows.Start(CounterWindow.Minute, now));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), CounterWindows.Start(CounterWindow.Month, now));
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), CounterWindows.End(CounterWindow.Month, CounterWindows.Start(CounterWindow.Month, now)));
        Assert.Equal("2026-12", CounterWindows.Period(now));
    }
}
