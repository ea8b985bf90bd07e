using Microsoft.AspNetCore.Builder;

namespace Gateway.Integration.Tests.Metering;

/// <summary>
/// What a proxy started as a child process (<see cref="ProxyProcess"/>) runs against: MockLlm
/// in-process, a fresh data directory, and in it a snapshot file that points at MockLlm.
/// Disposing stops MockLlm and deletes the directory.
/// </summary>
internal sealed class ChildProxyWorld : IAsyncDisposable
{
    private ChildProxyWorld(WebApplication mock, Uri mockUrl, string dataDirectory)
    {
        Mock = mock;
        MockUrl = mockUrl;
        DataDirectory = dataDirectory;
        SnapshotFile = Path.Combine(dataDirectory, "snapshot.json");
    }

    public WebApplication Mock { get; }

    public Uri MockUrl { get; }

    public string DataDirectory { get; }

    public string SnapshotFile { get; }

    /// <summary>Starts MockLlm and writes the snapshot into a new directory named after <paramref name="prefix"/>.</summary>
    public static async Task<ChildProxyWorld> StartAsync(string prefix)
    {
        var (mock, url) = await MeteringWorld.StartMockLlmAsync();
        var world = new ChildProxyWorld(mock, url, Directory.CreateTempSubdirectory(prefix).FullName);
        ProxyProcess.WriteSnapshot(world.SnapshotFile, url.ToString());
        return world;
    }

    public async ValueTask DisposeAsync()
    {
        await Mock.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
