using System.Diagnostics;
using System.Text.RegularExpressions;
using Gateway.Contracts.Demo;
using Gateway.Contracts.Snapshot;

namespace Gateway.Integration.Tests.Metering;

/// <summary>
/// The proxy as a real child process (<c>dotnet Proxy.dll</c> from this test's output folder),
/// configured by environment: a snapshot file, a data directory, port 0. Stopped by SIGKILL
/// (<see cref="Kill"/>) or SIGTERM (<see cref="TerminateAsync"/>), only ever by its own PID.
/// </summary>
internal sealed partial class ProxyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ProxyProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
    }

    public Uri Url { get; private set; } = null!;

    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; } = new();

    public static async Task<ProxyProcess> StartAsync(string dataDirectory, string snapshotFile)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Proxy.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Proxy__DataDirectory"] = dataDirectory;
        start.Environment["Proxy__Snapshot__File"] = snapshotFile;
        start.Environment["Proxy__NodeId"] = "durability";
        start.Environment["Proxy__Usage__SegmentMaxAgeMs"] = "200";
        start.Environment["Proxy__Usage__ShipIntervalMs"] = "50";
        start.Environment[DemoCatalog.MockCredentialEnv] = MeteringWorld.MockCredential;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = null;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ProxyProcess(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        child.Url = await child._listening.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        return child;
    }

    public static void WriteSnapshot(string path, string mockLlm) =>
        File.WriteAllBytes(path, SnapshotJson.SerializeToUtf8Bytes(MeteringWorld.Snapshot(mockLlm)));

    private void OnLine(string? line)
    {
        if (line is null) return;
        Output.Enqueue(line);
        if (ListeningLine().Match(line) is { Success: true } match) _listening.TrySetResult(new Uri(match.Groups[1].Value));
    }

    /// <summary>SIGKILL: no graceful stop, no flush, nothing.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    /// <summary>SIGTERM: the host's graceful stop.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        return _process.ExitCode;
    }

    public async Task WaitForExitAsync() =>
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
