using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Proxy.Counters.Redis;

/// <summary>
/// The process's one <see cref="ConnectionMultiplexer"/>, set up to fail fast: no connect abort
/// at start (a proxy starts while Redis is down and falls back), no queueing of commands while
/// disconnected (a call fails at once instead of adding latency), short timeouts, reconnect
/// attempts every probe interval. It connects in <see cref="ConnectAsync"/>, never by blocking a
/// thread: with inline socket completions (the proxy image's setting) a blocking connect can run on
/// the socket engine's own thread and then waits for the very thread it holds.
/// </summary>
internal sealed class RedisConnection : IDisposable
{
    private readonly ConfigurationOptions _config;
    private ConnectionMultiplexer? _multiplexer;

    public RedisConnection(IOptions<CountersOptions> options, string nodeId)
    {
        var o = options.Value.Redis;
        var config = ConfigurationOptions.Parse(o.Configuration ?? throw new InvalidOperationException("Proxy:Counters:Redis:Configuration is not set."));
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.AsyncTimeout = o.TimeoutMilliseconds;
        config.SyncTimeout = o.TimeoutMilliseconds;
        config.ConnectTimeout = o.ConnectTimeoutMilliseconds;
        config.ConnectRetry = 1;
        config.ReconnectRetryPolicy = new LinearRetry(o.ProbeIntervalMilliseconds);
        config.HeartbeatInterval = TimeSpan.FromMilliseconds(Math.Min(1000, o.ProbeIntervalMilliseconds));
        config.ClientName ??= "gateway-proxy-" + nodeId;
        Endpoints = string.Join(",", config.EndPoints.Select(e => e.ToString()));
        _config = config;
    }

    /// <summary>Makes the multiplexer (once); with Redis down it returns disconnected and keeps retrying.</summary>
    public async Task ConnectAsync() => _multiplexer ??= await ConnectionMultiplexer.ConnectAsync(_config);

    /// <summary>True once <see cref="ConnectAsync"/> made the multiplexer.</summary>
    public bool Started => _multiplexer is not null;

    public ConnectionMultiplexer Multiplexer => _multiplexer ?? throw new InvalidOperationException("The Redis connection is used before ConnectAsync.");

    public IDatabase Database => Multiplexer.GetDatabase();

    /// <summary>The configured endpoints, for logs (never the configuration string: it may hold a password).</summary>
    public string Endpoints { get; }

    /// <summary>Loads both scripts on every connected primary, so calls go out as EVALSHA.</summary>
    public async Task LoadScriptsAsync()
    {
        foreach (var server in Multiplexer.GetServers())
        {
            if (!server.IsConnected || server.IsReplica) continue;
            await server.ScriptLoadAsync(RedisScripts.Reserve);
            await server.ScriptLoadAsync(RedisScripts.Apply);
        }
    }

    public void Dispose() => _multiplexer?.Dispose();
}
