using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Tests;

public sealed class SnapshotSourceTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("proxy-snapshot-");

    public void Dispose() => _dir.Delete(recursive: true);

    private FileSnapshotSource Source(SnapshotStore store, string fileName) => new(store,
        Options.Create(new ProxyOptions { Snapshot = new SnapshotFileOptions { File = Path.Combine(_dir.FullName, fileName) } }),
        TimeProvider.System, NullLogger<FileSnapshotSource>.Instance);

    [Fact]
    public async Task JsonFile_IsLoaded()
    {
        var path = Path.Combine(_dir.FullName, "snapshot.json");
        await File.WriteAllBytesAsync(path, SnapshotJson.SerializeToUtf8Bytes(TestWorld.Snapshot("http://127.0.0.1:9", revision: 3)), TestContext.Current.CancellationToken);
        var store = Compiled.Store();

        Assert.True(await Source(store, "snapshot.json").LoadInitialAsync(TestContext.Current.CancellationToken));

        Assert.Equal(3, store.Current!.Revision);
    }

    [Fact]
    public async Task YamlFile_IsLoaded_WithQuotedStringsKeptAsStrings()
    {
        var yaml = """
            revision: 4
            issuedAt: 2026-03-01T00:00:00Z
            providers:
              - id: mock
                kind: openai
                baseUrl: http://127.0.0.1:9
            models:
              - alias: chat
                kind: chat
                defaultVersion: chat-v1
                canary: { version: chat-v2, percent: 12.5 }
                versions:
                  - name: chat-v1
                    status: ga
                    prices: { inputPerMillion: 1.5, cachedInputPerMillion: 0, outputPerMillion: 2, currency: USD }
                    deployments: [ { id: d1, providerId: mock, upstreamModel: up-1 } ]
                  - name: chat-v2
                    status: preview
                    prices: { inputPerMillion: 1.5, cachedInputPerMillion: 0, outputPerMillion: 2, currency: USD }
                    deployments: [ { id: d2, providerId: mock, upstreamModel: "007" } ]
            teams: [ { id: t1, name: Team, costCentre: "1001" } ]
            subscriptions: [ { id: s1, teamId: t1, modelAlias: chat } ]
            keys:
              - keyId: "123456789012"
                hash: "0000000000000000000000000000000000000000000000000000000000000000"
                teamId: t1
                application: app
                expiresAt: 2099-01-01T00:00:00Z
                subscriptionIds: [ s1 ]
            """;
        await File.WriteAllTextAsync(Path.Combine(_dir.FullName, "snapshot.yaml"), yaml, TestContext.Current.CancellationToken);
        var store = Compiled.Store();
        var parsed = SnapshotJson.Deserialize(YamlSnapshotReader.ToJson(System.Text.Encoding.UTF8.GetBytes(yaml)));
        Assert.Empty(SnapshotValidator.Validate(parsed).Select(e => e.ToString()));

        Assert.True(await Source(store, "snapshot.yaml").LoadInitialAsync(TestContext.Current.CancellationToken));

        var current = store.Current!;
        Assert.Equal(4, current.Revision);
        Assert.Equal(1250, current.Models["chat"].CanaryBasisPoints);
        Assert.Equal("007", current.Versions["chat-v2"].Deployments[0].UpstreamModel);
        Assert.Equal("1001", current.Teams["t1"].Spec.CostCentre);
        Assert.True(current.Keys.ContainsKey("123456789012"));
    }

    [Fact]
    public void YamlTyping_PlainDigitsAreNumbers_AndTheJsonErrorNamesThePath()
    {
        var json = System.Text.Encoding.UTF8.GetString(YamlSnapshotReader.ToJson("revision: 2\nteams: [ { id: t, name: 'n', costCentre: 1001 } ]\nflag: true\nnothing: ~"u8));

        Assert.Equal("""{"revision":2,"teams":[{"id":"t","name":"n","costCentre":1001}],"flag":true,"nothing":null}""", json);
        var ex = Assert.Throws<System.Text.Json.JsonException>(() => SnapshotJson.Deserialize(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Contains("$.teams[0].costCentre", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadFile_IsRejected_AndTheLastGoodSnapshotStays()
    {
        var path = Path.Combine(_dir.FullName, "snapshot.json");
        await File.WriteAllBytesAsync(path, SnapshotJson.SerializeToUtf8Bytes(TestWorld.Snapshot("http://127.0.0.1:9", revision: 1)), TestContext.Current.CancellationToken);
        var store = Compiled.Store();
        var source = Source(store, "snapshot.json");
        await source.LoadInitialAsync(TestContext.Current.CancellationToken);

        await File.WriteAllTextAsync(path, """{"revision": 2, "teams": [{"id": "t"}]}""", TestContext.Current.CancellationToken);
        Assert.Equal(ReloadResult.Invalid, await source.ReloadAsync(force: false, TestContext.Current.CancellationToken));
        await File.WriteAllTextAsync(path, """{"revision": 2, "models": [ """, TestContext.Current.CancellationToken);
        Assert.Equal(ReloadResult.Invalid, await source.ReloadAsync(force: false, TestContext.Current.CancellationToken));

        Assert.Equal(1, store.Current!.Revision);
    }

    /// <summary>A snapshot file at revision 1, loaded by a source that polls it every <paramref name="pollSeconds"/>.</summary>
    private async Task<(string Path, SnapshotStore Store, FileSnapshotSource Source)> WatchedFileAsync(double pollSeconds)
    {
        var path = Path.Combine(_dir.FullName, "snapshot.json");
        await File.WriteAllBytesAsync(path, SnapshotJson.SerializeToUtf8Bytes(TestWorld.Snapshot("http://127.0.0.1:9", revision: 1)), TestContext.Current.CancellationToken);
        var store = Compiled.Store();
        var source = new FileSnapshotSource(store,
            Options.Create(new ProxyOptions { Snapshot = new SnapshotFileOptions { File = path, PollSeconds = pollSeconds } }),
            TimeProvider.System, NullLogger<FileSnapshotSource>.Instance);
        await source.LoadInitialAsync(TestContext.Current.CancellationToken);
        return (path, store, source);
    }

    [Fact]
    public async Task Watch_AppliesAChangedFile()
    {
        var (path, store, source) = await WatchedFileAsync(pollSeconds: 0.1);
        var applied = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Applied += s => applied.TrySetResult(s.Revision);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var watching = source.WatchAsync(stop.Token);

        await File.WriteAllBytesAsync(path, SnapshotJson.SerializeToUtf8Bytes(TestWorld.Snapshot("http://127.0.0.1:9", revision: 2)), TestContext.Current.CancellationToken);

        Assert.Equal(2, await applied.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        await stop.CancelAsync();
        await watching;
    }

    [Fact]
    public async Task Watch_PollsAnUnchangedFile_WithoutThrowing()
    {
        var (_, store, source) = await WatchedFileAsync(pollSeconds: 0.05);
        // Exceptions thrown in this watch's flow only (the marker flows into its continuations; other
        // tests running beside this one throw in flows of their own).
        var inWatch = new AsyncLocal<bool>();
        var thrown = new List<string>();
        void OnFirstChance(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (inWatch.Value) lock (thrown) thrown.Add(e.Exception.GetType().Name);
        }
        AppDomain.CurrentDomain.FirstChanceException += OnFirstChance;
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            inWatch.Value = true;
            var watching = source.WatchAsync(stop.Token);
            inWatch.Value = false;
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // ~20 polls

            lock (thrown) Assert.Empty(thrown);
            await stop.CancelAsync();
            await watching;
            Assert.Equal(1, store.Current!.Revision);
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= OnFirstChance;
        }
    }

    [Fact]
    public async Task LastKnownGood_IsWrittenAfterApply_AndReadBack()
    {
        var lkg = new LastKnownGood(Options.Create(new ProxyOptions { DataDirectory = _dir.FullName }), Options.Create(new Gateway.Proxy.ControlPlane.ControlPlaneOptions()), NullLogger<LastKnownGood>.Instance);
        var store = Compiled.Store();
        store.Applied += lkg.Write;

        store.TryApply(TestWorld.Snapshot("http://127.0.0.1:9", revision: 9), "file", out _);

        var text = await File.ReadAllTextAsync(lkg.Path, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(TestWorld.UpstreamSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestWorld.Key, text, StringComparison.Ordinal);
        Assert.Equal(9, lkg.Read()!.Revision);
    }

    [Fact]
    public void LastKnownGood_IsWrittenInPieces_NotBuiltWholeInMemory()
    {
        // A 10,000-key snapshot is megabytes of JSON: building it whole (and the pooled buffers
        // that grew to hold it) stayed in the heap of every proxy (bench/start-memory.sh: 5 MiB).
        var lkg = new LastKnownGood(Options.Create(new ProxyOptions { DataDirectory = _dir.FullName }), Options.Create(new Gateway.Proxy.ControlPlane.ControlPlaneOptions()), NullLogger<LastKnownGood>.Instance);
        var snapshot = TestWorld.Snapshot("http://127.0.0.1:9", revision: 4);
        var template = snapshot.Keys[0];
        snapshot.Keys = [.. snapshot.Keys, .. Enumerable.Range(0, 10_000).Select(i => template with { KeyId = $"bulk{i:D8}" })];
        var store = Compiled.Store();
        Assert.True(store.TryApply(snapshot, "file", out _));
        lkg.Write(store.Current!); // the first write warms the serializer up

        // Writing rebuilds each key's spec from the compiled key (garbage at once, nothing kept);
        // beyond that, the document must not be built whole.
        var before = GC.GetAllocatedBytesForCurrentThread();
        _ = store.Current!.ToSpec();
        var specs = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        lkg.Write(store.Current!);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before - specs;

        var length = new FileInfo(lkg.Path).Length;
        Assert.True(length > 2_000_000, $"the file has {length} bytes");
        Assert.True(allocated < length / 4, $"{allocated} bytes allocated beyond the specs to write {length} bytes");
        Assert.Equal(snapshot.Keys.Count, lkg.Read()!.Keys.Count);
    }

    [Fact]
    public async Task Proxy_StartsFromTheLastKnownGood_WhenNoSourceAnswers()
    {
        var data = _dir.CreateSubdirectory("data").FullName;
        var lkg = new LastKnownGood(Options.Create(new ProxyOptions { DataDirectory = data }), Options.Create(new Gateway.Proxy.ControlPlane.ControlPlaneOptions()), NullLogger<LastKnownGood>.Instance);
        var seed = Compiled.Store();
        seed.Applied += lkg.Write;
        seed.TryApply(TestWorld.Snapshot("http://127.0.0.1:9", revision: 6), "control-plane", out _);
        var missingFile = Path.Combine(_dir.FullName, "absent.json");

        await using var proxy = await ProxyHost.StartAsync(null, new Dictionary<string, string?> { ["Proxy:Snapshot:File"] = missingFile }, dataDirectory: data);

        Assert.Equal(6, proxy.Store.Current!.Revision);
        Assert.Equal(SnapshotSourceKinds.LastKnownGood, proxy.Store.Current.Source);
    }

    [Fact]
    public async Task DefaultRun_LoadsTheDemoCatalog_AndWritesTheLastKnownGood()
    {
        var data = _dir.CreateSubdirectory("demo").FullName;
        await using var proxy = await ProxyHost.StartAsync(null, new Dictionary<string, string?>
        {
            ["Proxy:DefaultRun:Enabled"] = "true",
            ["Proxy:DefaultRun:MockLlmUrl"] = "http://127.0.0.1:5089",
        }, dataDirectory: data);

        Assert.Equal(SnapshotSourceKinds.Demo, proxy.Store.Current!.Source);
        Assert.True(proxy.Store.Current.Keys.ContainsKey(Gateway.Contracts.Keys.DemoKeys.KeyId));
        Assert.True(File.Exists(Path.Combine(data, LastKnownGood.FileName)));
    }
}
