using System.Diagnostics;
using System.Text.RegularExpressions;
using Gateway.Contracts.Demo;
using Gateway.Contracts.Snapshot;

namespace Gateway.Integration.Tests.Metering;

/// <summary>
/// The proxy as a real child process (<c>dotnet Proxy.dll</c> from this test's output folder, or a
/// given native executable such as the Native AOT build), configured by environment: a snapshot
/// file, a data directory, port 0, plus any extra variables. Stopped by SIGKILL
/// (<see cref="Kill"/>) or SIGTERM (<see cref="TerminateAsync"/>), only ever by its own PID.
/// </summary>
internal sealed partial class ProxyProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ProxyProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
    }

    /// <summary>Where the proxy listens (set once it logged "Now listening").</summary>
    public Uri Url { get; private set; } = null!;

    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; } = new();

    /// <summary>Everything the process wrote so far (stdout and stderr, one line each).</summary>
    public string OutputText => string.Join('\n', Output);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts the proxy and waits until it listens; throws (with its output) when it exits first.
    /// <paramref name="executable"/>: a native executable to run instead of <c>dotnet Proxy.dll</c>;
    /// <paramref name="environment"/>: variables set after the defaults (null removes one).
    /// </summary>
    public static async Task<ProxyProcess> StartAsync(
        string dataDirectory, string snapshotFile, string? executable = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var child = await LaunchAsync(dataDirectory, snapshotFile, executable, environment);
        if (!child.HasExited) return child;
        var message = $"The proxy exited at start with code {child.ExitCode}:\n{child.OutputText}";
        await child.DisposeAsync();
        throw new InvalidOperationException(message);
    }

    /// <summary>
    /// Starts the proxy and waits until it either listens or exits, whichever comes first (for a
    /// start that is expected to fail: <see cref="HasExited"/>, <see cref="ExitCode"/>, <see cref="OutputText"/>).
    /// </summary>
    public static async Task<ProxyProcess> LaunchAsync(
        string dataDirectory, string snapshotFile, string? executable = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = executable is null
            ? new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Proxy.dll")])
            : new ProcessStartInfo(executable);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = dataDirectory;
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
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ProxyProcess(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var ct = TestContext.Current.CancellationToken;
        try
        {
            // WaitForExitAsync also waits for the end of both output streams, so an early exit has all its lines.
            var exited = process.WaitForExitAsync(ct);
            var first = await Task.WhenAny(child._listening.Task, exited).WaitAsync(StartTimeout, ct);
            if (first == child._listening.Task) child.Url = await child._listening.Task;
            else await exited;
        }
        catch (TimeoutException)
        {
            var output = child.OutputText;
            await child.DisposeAsync();
            throw new TimeoutException($"The proxy neither listened nor exited within {StartTimeout.TotalSeconds:F0} s:\n{output}");
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
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
