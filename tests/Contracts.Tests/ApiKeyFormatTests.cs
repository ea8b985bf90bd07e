using Gateway.Contracts.Keys;

namespace Gateway.Contracts.Tests;

public sealed class ApiKeyFormatTests
{
    [Fact]
    public void Generate_ProducesKeyWhoseIdCanBeReadBack()
    {
        var key = ApiKeyFormat.Generate();

        Assert.Equal(ApiKeyFormat.Length, key.Length);
        Assert.True(ApiKeyFormat.TryGetKeyId(key, out var keyId));
        Assert.Equal(key.Substring(6, 12), keyId.ToString());
        Assert.True(ApiKeyFormat.IsValidKeyId(keyId.ToString()));
    }

    [Fact]
    public void Generate_TwiceGivesDifferentKeys()
    {
        Assert.NotEqual(ApiKeyFormat.Generate(), ApiKeyFormat.Generate());
    }

    [Fact]
    public void DemoKey_HasTheKeyShape()
    {
        Assert.True(ApiKeyFormat.TryGetKeyId(DemoKeys.Key, out var keyId));
        Assert.Equal(DemoKeys.KeyId, keyId.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("sk-proj-abc")]
    [InlineData("sk-gw-demo00000001_DemoKeyForTheDefaultRunOnlyNotASecret00")] // one short
    [InlineData("sk-gw-demo00000001_DemoKeyForTheDefaultRunOnlyNotASecret0000")] // one long
    [InlineData("sk-gw-DEMO00000001_DemoKeyForTheDefaultRunOnlyNotASecret000")] // upper-case id
    [InlineData("sk-gw-demo00000001-DemoKeyForTheDefaultRunOnlyNotASecret000")] // wrong separator
    [InlineData("sk-gw-demo00000001_DemoKeyForTheDefaultRunOnlyNotASecret0\r\n")] // CR/LF
    [InlineData("xx-gw-demo00000001_DemoKeyForTheDefaultRunOnlyNotASecret000")]
    public void TryGetKeyId_RejectsTextWithoutTheKeyShape(string text)
    {
        Assert.False(ApiKeyFormat.TryGetKeyId(text, out _));
    }

    [Fact]
    public void HashToHex_IsSha256OfTheWholeKey()
    {
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(DemoKeys.Key)));

        Assert.Equal(expected, ApiKeyFormat.HashToHex(DemoKeys.Key));
        Assert.True(ApiKeyFormat.IsValidHashHex(expected));
    }

    [Fact]
    public void DisplayPrefix_ShowsOnlyThePublicPart()
    {
        Assert.Equal("sk-gw-demo00000001", ApiKeyFormat.DisplayPrefix(DemoKeys.Key));
    }

    [Fact]
    public void Compose_RejectsBadParts()
    {
        Assert.Throws<ArgumentException>(() => ApiKeyFormat.Compose("short", new string('a', 40)));
        Assert.Throws<ArgumentException>(() => ApiKeyFormat.Compose("abcdefghijkl", "not-forty-chars"));
    }
}
