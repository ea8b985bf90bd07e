using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Contracts.Keys;

namespace Gateway.Integration.Tests.Metering;

/// <summary>
/// The usage ledger survives the process: the proxy runs as a child process under load; a hard
/// kill (SIGKILL) loses at most the records of the last group commit that had not reached the
/// disk, a restart replays the spool with no record twice, and a graceful stop (SIGTERM) loses nothing.
/// </summary>
public sealed class SpoolDurabilityTests : IAsyncLifetime
{
    /// <summary>The loss window asserted: every record missing after a hard kill was acknowledged to its client less than this before the kill.</summary>
    private static readonly TimeSpan LossWindowBound = TimeSpan.FromMilliseconds(250);

    private ChildProxyWorld _world = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _world = await ChildProxyWorld.StartAsync("spool-durability-");
    }

    public async ValueTask DisposeAsync()
    {
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task HardKill_UnderLoad_LosesAtMostTheLastGroupCommit_AndTheRestartReplaysWithoutDuplicates()
    {
        var acknowledged = new ConcurrentDictionary<string, long>();
        long killedAt;
        await using (var proxy = await ProxyProcess.StartAsync(_world.DataDirectory, _world.SnapshotFile))
        {
            using var load = new Load(proxy.Url, "kill");
            var running = load.RunAsync(acknowledged);
            while (acknowledged.Count < 1500) await Task.Delay(10, Ct);
            proxy.Kill();
            killedAt = Stopwatch.GetTimestamp();
            await proxy.WaitForExitAsync();
            await load.StopAsync(running);
        }

        await using (var restarted = await ProxyProcess.StartAsync(_world.DataDirectory, _world.SnapshotFile))
        {
            await WaitForEmptySpoolAsync();
            Assert.Equal(0, await restarted.TerminateAsync());
        }

        var ledger = MeteringWorld.ReadLedger(_world.DataDirectory);
        Assert.Equal(ledger.Count, ledger.Select(r => r.RequestId).Distinct().Count());
        var inLedger = ledger.Select(r => r.RequestId).ToHashSet();
        var missing = acknowledged.Where(a => !inLedger.Contains(a.Key)).ToList();
        var worst = missing.Count == 0 ? TimeSpan.Zero : missing.Max(m => Stopwatch.GetElapsedTime(m.Value, killedAt));
        MeteringWorld.Report(
            $"hard kill: {acknowledged.Count} acknowledged to clients, {ledger.Count} in the ledger after replay, {missing.Count} missing; " +
            $"the oldest missing was acknowledged {worst.TotalMilliseconds:F1} ms before the kill");
        Assert.All(missing, m => Assert.True(Stopwatch.GetElapsedTime(m.Value, killedAt) < LossWindowBound,
            $"{m.Key} was acknowledged {Stopwatch.GetElapsedTime(m.Value, killedAt).TotalMilliseconds:F0} ms before the kill and is not in the ledger"));
        Assert.True(ledger.Count >= acknowledged.Count - missing.Count);
    }

    [Fact]
    public async Task GracefulStop_UnderLoad_LosesNothing()
    {
        var acknowledged = new ConcurrentDictionary<string, long>();
        await using (var proxy = await ProxyProcess.StartAsync(_world.DataDirectory, _world.SnapshotFile))
        {
            using var load = new Load(proxy.Url, "term");
            var running = load.RunAsync(acknowledged);
            while (acknowledged.Count < 1000) await Task.Delay(10, Ct);
            var exit = await proxy.TerminateAsync();
            await load.StopAsync(running);
            Assert.Equal(0, exit);
        }

        // No restart: the stop itself drained the channel, fsynced and shipped.
        var ledger = MeteringWorld.ReadLedger(_world.DataDirectory);
        var inLedger = ledger.Select(r => r.RequestId).ToHashSet();
        MeteringWorld.Report($"graceful stop: {acknowledged.Count} acknowledged, {ledger.Count} in the ledger");
        Assert.Equal(ledger.Count, inLedger.Count);
        Assert.All(acknowledged.Keys, id => Assert.Contains(id, inLedger));
        Assert.Empty(Directory.GetFiles(Path.Combine(_world.DataDirectory, "spool")));
    }

    private async Task WaitForEmptySpoolAsync()
    {
        var spool = Path.Combine(_world.DataDirectory, "spool");
        for (var i = 0; Directory.GetFiles(spool).Length > 0 && i < 600; i++) await Task.Delay(50, Ct);
    }

    /// <summary>Closed-loop load: 16 workers sending chat requests until stopped; a request counts as acknowledged once its whole response arrived.</summary>
    private sealed class Load(Uri proxy, string prefix) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = proxy, Timeout = TimeSpan.FromSeconds(30) };
        private int _next;

        public Task RunAsync(ConcurrentDictionary<string, long> acknowledged)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DemoKeys.Key);
            var workers = new Task[16];
            for (var w = 0; w < workers.Length; w++) workers[w] = Task.Run(() => WorkAsync(acknowledged));
            return Task.WhenAll(workers);
        }

        private async Task WorkAsync(ConcurrentDictionary<string, long> acknowledged)
        {
            while (!_stop.IsCancellationRequested)
            {
                var id = $"{prefix}-{Interlocked.Increment(ref _next):D6}";
                try
                {
                    using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
                    {
                        Content = new StringContent($$"""{"model":"gpt-4o","max_tokens":16,"messages":[{"role":"user","content":"durable {{id}}"}]}""", Encoding.UTF8, "application/json"),
                    };
                    message.Headers.Add("x-request-id", id);
                    using var response = await _http.SendAsync(message, _stop.Token);
                    await response.Content.ReadAsByteArrayAsync(_stop.Token);
                    if (response.StatusCode == HttpStatusCode.OK) acknowledged[id] = Stopwatch.GetTimestamp();
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                {
                    if (!_stop.IsCancellationRequested) await Task.Delay(20);
                }
            }
        }

        public async Task StopAsync(Task running)
        {
            await _stop.CancelAsync();
            await running;
        }

        public void Dispose()
        {
            _stop.Dispose();
            _http.Dispose();
        }
    }
}
