using System.Net;
using Gateway.Contracts.Keys;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Policies.Authentication;
using Gateway.Proxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
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

        Assert.Equal(DemoKeys.Key, PresentedCredential.Find(context.Request, out _).ToString());
    }

    [Fact]
    public void PresentedCredential_IsEmptyWithoutAKey()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.SecWebSocketProtocol = "realtime";

        Assert.True(PresentedCredential.Find(context.Request, out _).IsEmpty);
    }

    private sealed class ConnectionState : IPersistentStateFeature
    {
        public IDictionary<object, object?> State { get; } = new Dictionary<object, object?>();
    }

    private static HttpContext OnOneConnection(ConnectionState connection)
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IPersistentStateFeature>(connection);
        return context;
    }

    [Fact]
    public void ConnectionCredential_IsReused_OnlyForTheSameHeaderString_TheSameSnapshot_AndBeforeExpiry()
    {
        var connection = new ConnectionState();
        var header = "Bearer " + TestWorld.Key;
        Assert.Equal(AuthenticationResult.Success, KeyAuthenticator.Authenticate(Snapshot, TestWorld.Key, TestWorld.Now, out var key));
        Assert.Null(ConnectionCredential.Find(OnOneConnection(connection), header, Snapshot, TestWorld.Now));

        ConnectionCredential.Remember(OnOneConnection(connection), header, Snapshot, key!);

        Assert.Same(key, ConnectionCredential.Find(OnOneConnection(connection), header, Snapshot, TestWorld.Now));
        // The same characters in another string: the full check, never a comparison of key material.
        Assert.Null(ConnectionCredential.Find(OnOneConnection(connection), new string(header.AsSpan()), Snapshot, TestWorld.Now));
        // Another snapshot may have revoked or removed the key.
        Assert.Null(ConnectionCredential.Find(OnOneConnection(connection), header, Compiled.Of(TestWorld.Snapshot("http://127.0.0.1:9")), TestWorld.Now));
        Assert.Null(ConnectionCredential.Find(OnOneConnection(connection), header, Snapshot, key!.ExpiresAt));
        Assert.Null(ConnectionCredential.Find(OnOneConnection(new ConnectionState()), header, Snapshot, TestWorld.Now));
        Assert.Null(ConnectionCredential.Find(OnOneConnection(connection), null, Snapshot, TestWorld.Now));
    }

    [Fact]
    public void ConnectionCredential_WithoutConnectionState_RemembersNothing()
    {
        var context = new DefaultHttpContext();
        Assert.Equal(AuthenticationResult.Success, KeyAuthenticator.Authenticate(Snapshot, TestWorld.Key, TestWorld.Now, out var key));

        ConnectionCredential.Remember(context, "Bearer " + TestWorld.Key, Snapshot, key!);

        Assert.Null(ConnectionCredential.Find(context, "Bearer " + TestWorld.Key, Snapshot, TestWorld.Now));
    }

    [Fact]
    public async Task OneConnection_ReusesTheHeaderString_AndStillRefusesAWrongKey_AndARevokedOne()
    {
        await using var upstream = await SmartUpstream.StartAsync();
        var seen = new List<string?>();
        var snapshot = TestWorld.Snapshot(upstream.Url, canaryPercent: 0);
        await using var proxy = await ProxyHost.StartAsync(snapshot, appendPolicies: app => app.Use((context, next) =>
        {
            lock (seen) seen.Add(context.Request.Headers.Authorization[0]);
            return next(context);
        }));
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1 };
        using var client = new HttpClient(handler) { BaseAddress = proxy.Address };

        async Task<HttpStatusCode> Chat(string key)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(Json.ChatBody("chat"), System.Text.Encoding.UTF8, "application/json") };
            message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
            using var response = await client.SendAsync(message, TestContext.Current.CancellationToken);
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await Chat(TestWorld.Key));
        Assert.Equal(HttpStatusCode.OK, await Chat(TestWorld.Key));
        // Kestrel handed the second request the first one's string: what the connection's credential keys on.
        Assert.Equal(2, seen.Count);
        Assert.Same(seen[0], seen[1]);

        var wrong = ApiKeyFormat.Compose("testkey00001", "Xbcdefghijklmnopqrstuvwxyz0123456789ABCD");
        Assert.Equal(HttpStatusCode.Unauthorized, await Chat(wrong));
        Assert.Equal(HttpStatusCode.OK, await Chat(TestWorld.Key));
        Assert.Equal(HttpStatusCode.OK, await Chat(TestWorld.Key));

        var revoked = snapshot with
        {
            Revision = 2,
            Keys = [.. snapshot.Keys.Select(k => k.KeyId == "testkey00001" ? k with { Status = KeyStatus.Revoked } : k)],
        };
        Assert.True(proxy.Store.TryApply(revoked, "test", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, await Chat(TestWorld.Key));
    }
}
