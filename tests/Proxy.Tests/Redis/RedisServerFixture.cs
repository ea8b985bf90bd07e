using Gateway.Testing.Redis;

namespace Gateway.Proxy.Tests.Redis;

/// <summary>One redis-server shared by a test class that never stops it (each test uses its own key prefix).</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisServer? _server;

    internal RedisServer Server => _server ?? throw new InvalidOperationException("No redis-server.");

    public async ValueTask InitializeAsync()
    {
        if (File.Exists(RedisServer.Binary)) _server = await RedisServer.StartNewAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    internal RedisServer Require()
    {
        RedisServer.Require();
        return Server;
    }
}
