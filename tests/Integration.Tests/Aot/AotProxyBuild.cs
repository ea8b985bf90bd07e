using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Gateway.Testing;

namespace Gateway.Integration.Tests.Aot;

/// <summary>
/// The proxy published as a Native AOT executable, once per test run for every class in
/// <see cref="AotProxyCollection"/>: <c>dotnet publish src/Proxy/Proxy.csproj -c Release -r linux-x64
/// -p:PublishAot=true</c> (with <c>-p:CppCompilerAndLinker=gcc</c> when there is no clang) into a
/// fresh temporary folder, deleted at the end. The build's intermediate files go to that folder too
/// (<c>--artifacts-path</c>), so the publish never rewrites the checkout's <c>obj</c> folders (a
/// runtime-specific restore would) and nothing is reused from an earlier build. No build servers
/// are left running (<c>--disable-build-servers</c>). Needs a C toolchain and zlib: outside CI a
/// missing one skips the tests, in CI (<c>GATEWAY_TEST_REQUIRE_SERVICES=1</c>) it fails them.
/// </summary>
public sealed class AotProxyBuild : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);
    private const int TailLines = 60;

    private DirectoryInfo? _folder;

    /// <summary>Why the build cannot be made on this machine (null when it can).</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The published native executable.</summary>
    public string Executable { get; private set; } = null!;

    public TimeSpan PublishTime { get; private set; }

    public long ExecutableBytes { get; private set; }

    public void Require()
    {
        if (Unavailable is not null) ServiceRequirement.Unmet(Unavailable);
    }

    public async ValueTask InitializeAsync()
    {
        Unavailable = MissingPrerequisite();
        if (Unavailable is not null) return;

        var root = RepositoryRoot();
        _folder = Directory.CreateTempSubdirectory("proxy-aot-");
        var output = Path.Combine(_folder.FullName, "publish");
        List<string> arguments =
        [
            "publish", Path.Combine(root, "src", "Proxy", "Proxy.csproj"),
            "-c", "Release", "-r", RuntimeIdentifier(), "-p:PublishAot=true",
            "--artifacts-path", Path.Combine(_folder.FullName, "artifacts"),
            "-o", output,
            "--disable-build-servers",
        ];
        if (FindOnPath("clang") is null) arguments.Add("-p:CppCompilerAndLinker=gcc");

        var started = Stopwatch.GetTimestamp();
        var (exitCode, lines) = await RunAsync(root, arguments);
        PublishTime = Stopwatch.GetElapsedTime(started);
        var command = "dotnet " + string.Join(' ', arguments);
        if (exitCode != 0)
            throw new InvalidOperationException($"{command} failed with exit code {exitCode} after {PublishTime.TotalSeconds:F0} s; the last {TailLines} lines:\n{Tail(lines)}");

        Executable = Path.Combine(output, "Proxy");
        if (!File.Exists(Executable) || File.Exists(Path.Combine(output, "Proxy.dll")) || !IsElf(Executable))
            throw new InvalidOperationException($"{command} did not produce a native executable {Executable}; the output folder holds: " +
                string.Join(", ", Directory.GetFiles(output).Select(Path.GetFileName)) + $"\n{Tail(lines)}");
        ExecutableBytes = new FileInfo(Executable).Length;
        TestContext.Current.SendDiagnosticMessage($"Native AOT proxy published in {PublishTime.TotalSeconds:F0} s: {Executable} ({ExecutableBytes / 1048576.0:F1} MiB)");
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            _folder?.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>The folder holding <c>Directory.Packages.props</c>, walking up from the test's output folder.</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Directory.Packages.props"))) return folder.FullName;
        }
        throw new InvalidOperationException($"No Directory.Packages.props above {AppContext.BaseDirectory}: cannot find the repository root.");
    }

    private static string? MissingPrerequisite()
    {
        const string Install = "(Debian packages gcc or clang, and zlib1g-dev; .ci/run installs them)";
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture is not (Architecture.X64 or Architecture.Arm64))
            return $"The Native AOT proxy tests publish for linux-x64 or linux-arm64; this is {RuntimeInformation.RuntimeIdentifier}.";
        if (FindOnPath("clang") is null && FindOnPath("gcc") is null)
            return $"The Native AOT proxy tests need a C compiler and linker to publish {Install}.";
        if (!File.Exists("/usr/include/zlib.h"))
            return $"The Native AOT proxy tests need zlib's development files to link {Install}.";
        return null;
    }

    private static string RuntimeIdentifier() => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);

    private static bool IsElf(string path)
    {
        ReadOnlySpan<byte> elf = [0x7F, (byte)'E', (byte)'L', (byte)'F'];
        Span<byte> magic = stackalloc byte[4];
        using var file = File.OpenRead(path);
        return file.Read(magic) == 4 && magic.SequenceEqual(elf);
    }

    private static string Tail(IReadOnlyCollection<string> lines) => string.Join('\n', lines.Skip(Math.Max(0, lines.Count - TailLines)));

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/>, its output captured; killed (with its children) after <see cref="PublishTimeout"/>.</summary>
    private static async Task<(int ExitCode, IReadOnlyCollection<string> Lines)> RunAsync(string workingDirectory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        // Under `dotnet test` the test process may inherit MSBuild's own variables (SDK and
        // extension paths of the CLI that launched it); the publish resolves its own.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var lines = new ConcurrentQueue<string>();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(PublishTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            var why = TestContext.Current.CancellationToken.IsCancellationRequested ? "the test run was cancelled" : $"it took longer than {PublishTimeout.TotalMinutes:F0} minutes";
            throw new TimeoutException($"dotnet publish was stopped: {why}; the last {TailLines} lines:\n{Tail(lines.ToArray())}");
        }
        return (process.ExitCode, lines.ToArray());
    }
}

/// <summary>
/// The classes that run the Native AOT proxy share one publish. Not run in parallel with other
/// collections: the publish keeps both cores busy for minutes, which would starve the timing
/// bounds of the load and durability tests running beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AotProxyCollection : ICollectionFixture<AotProxyBuild>
{
    public const string Name = "aot-proxy";
}
