using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Proxy.Counters.Redis;

/// <summary>
/// The process's one <see cref="ConnectionMultiplexer"/>, set up to fail fast: no connect abort
/// at start (a proxy starts while Redis is down and falls back), no queueing of commands while
/// disconnected (a call fails at once instead of adding latency), short timeouts, reconnect
/// attempts every probe interval.
/// </summary>
internal sealed class RedisConnection : IDisposable
{
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
        Multiplexer = ConnectionMultiplexer.Connect(config);
    }

    public ConnectionMultiplexer Multiplexer { get; }

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

    public void Dispose() => Multiplexer.Dispose();
}
