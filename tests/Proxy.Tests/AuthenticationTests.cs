using Gateway.Contracts.Keys;
using Gateway.Proxy.Policies.Authentication;
using Gateway.Proxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Tests;

public sealed class AuthenticationTests
{
    private static readonly Gateway.Proxy.Snapshots.CompiledSnapshot Snapshot = Compiled.Of(TestWorld.Snapshot("http://127.0.0.1:9"));

    [Fact]
    public void Authenticate_TheRightKey_Succeeds()
    {
        Assert.Equal(AuthenticationResult.Success, KeyAuthenticator.Authenticate(Snapshot, TestWorld.Key, TestWorld.Now, out var key));
        Assert.Equal("testkey00001", key!.KeyId);
    }

    [Theory]
    [InlineData("", "Missing")]
    [InlineData("not-a-gateway-key", "Malformed")]
    [InlineData("sk-gw-unknown00000_Abcdefghijklmnopqrstuvwxyz0123456789ABCD", "Unknown")]
    [InlineData("sk-gw-testkey00001_Xbcdefghijklmnopqrstuvwxyz0123456789ABCD", "Mismatch")]
    public void Authenticate_BadKeys_AreRefused(string presented, string expected)
    {
        Assert.Equal(expected, KeyAuthenticator.Authenticate(Snapshot, presented, TestWorld.Now, out var key).ToString());
        Assert.Null(key);
    }

    [Fact]
    public void Authenticate_RevokedAndExpiredKeys_AreRefused()
    {
        Assert.Equal(AuthenticationResult.Revoked, KeyAuthenticator.Authenticate(Snapshot, TestWorld.RevokedKey, TestWorld.Now, out _));
        Assert.Equal(AuthenticationResult.Expired, KeyAuthenticator.Authenticate(Snapshot, TestWorld.ExpiredKey, TestWorld.Now, out _));
    }

    [Fact]
    public void Authenticate_AKeyPastItsExpiry_IsRefusedFromThatInstant()
    {
        var expiry = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(AuthenticationResult.Success, KeyAuthenticator.Authenticate(Snapshot, TestWorld.Key, expiry.AddTicks(-1), out _));
        Assert.Equal(AuthenticationResult.Expired, KeyAuthenticator.Authenticate(Snapshot, TestWorld.Key, expiry, out _));
    }

    [Fact]
    public void Authenticate_AllocatesNothing()
    {
        // The warm-up runs exactly the measured calls: the first refusal of an unknown id reads the
        // dummy hash, whose one-time static initialisation (a 32-byte array) is not per-request cost.
        static void Round()
        {
            KeyAuthenticator.Authenticate(Snapshot, TestWorld.Key, TestWorld.Now, out _);
            KeyAuthenticator.Authenticate(Snapshot, "sk-gw-unknown00000_Abcdefghijklmnopqrstuvwxyz0123456789ABCD", TestWorld.Now, out _);
        }

        for (var i = 0; i < 100; i++) Round();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) Round();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("Authorization", "Bearer {0}")]
    [InlineData("Authorization", "bearer   {0}  ")]
    [InlineData("api-key", "{0}")]
    [InlineData("x-api-key", "{0}")]
    [InlineData("Sec-WebSocket-Protocol", "realtime, openai-insecure-api-key.{0}, openai-beta.realtime-v1")]
    public void PresentedCredential_IsFoundInEverySupportedPlace(string header, string format)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[header] = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, DemoKeys.Key);

        Assert.Equal(DemoKeys.Key, PresentedCredential.Find(context.Request).ToString());
    }

    [Fact]
    public void PresentedCredential_IsEmptyWithoutAKey()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.SecWebSocketProtocol = "realtime";

        Assert.True(PresentedCredential.Find(context.Request).IsEmpty);
    }
}
