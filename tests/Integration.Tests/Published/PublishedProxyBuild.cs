using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Gateway.Testing;

namespace Gateway.Integration.Tests.Published;

/// <summary>
/// The proxy published the way one of its images publishes it, once per test run for every class
/// of its collection: the arguments of the Dockerfile's <c>RUN dotnet publish src/Proxy/Proxy.csproj …
/// -o /app</c> line, read from the Dockerfile itself (so a change there is what the tests run), for
/// this machine's architecture, into a fresh temporary folder deleted at the end. The build's
/// intermediate files go to that folder too (<c>--artifacts-path</c>), so the publish never rewrites
/// the checkout's <c>obj</c> folders (a runtime-specific restore would) and nothing is reused from
/// an earlier build. No build servers are left running (<c>--disable-build-servers</c>). The
/// Dockerfile's <c>ENV DOTNET_*</c> settings are the environment the tests start it with.
/// </summary>
public abstract partial class PublishedProxyBuild(string dockerfile) : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);
    private const int TailLines = 60;

    private DirectoryInfo? _folder;

    /// <summary>The Dockerfile this build follows, relative to the repository root.</summary>
    public string Dockerfile { get; } = dockerfile;

    /// <summary>Why the build cannot be made on this machine (null when it can).</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The published executable.</summary>
    public string Executable { get; private set; } = null!;

    /// <summary>The Dockerfile's <c>DOTNET_*</c> settings.</summary>
    public IReadOnlyDictionary<string, string> RuntimeEnvironment { get; private set; } = new Dictionary<string, string>();

    public TimeSpan PublishTime { get; private set; }

    /// <summary>The published folder's size.</summary>
    public long PublishedBytes { get; private set; }

    public void Require()
    {
        if (Unavailable is not null) ServiceRequirement.Unmet(Unavailable);
    }

    /// <summary>What this build needs beyond the SDK, or null.</summary>
    protected virtual string? MissingPrerequisite() => null;

    /// <summary>Arguments this machine needs beyond the Dockerfile's (a linker).</summary>
    protected virtual IEnumerable<string> MachineArguments() => [];

    /// <summary>Throws when <paramref name="output"/> is not what the Dockerfile's publish should give.</summary>
    protected abstract void CheckOutput(string output);

    public async ValueTask InitializeAsync()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture is not (Architecture.X64 or Architecture.Arm64))
            Unavailable = $"The published proxy tests publish for linux-x64 or linux-arm64; this is {RuntimeInformation.RuntimeIdentifier}.";
        Unavailable ??= MissingPrerequisite();
        if (Unavailable is not null) return;

        var root = RepositoryRoot();
        var text = await File.ReadAllTextAsync(Path.Combine(root, Dockerfile), TestContext.Current.CancellationToken);
        RuntimeEnvironment = RuntimeSettings(text);
        _folder = Directory.CreateTempSubdirectory("proxy-published-");
        var output = Path.Combine(_folder.FullName, "publish");
        List<string> arguments = ["publish", Path.Combine(root, "src", "Proxy", "Proxy.csproj"), .. PublishArguments(text)];
        arguments.AddRange(MachineArguments());
        arguments.AddRange(["--artifacts-path", Path.Combine(_folder.FullName, "artifacts"), "-o", output, "--disable-build-servers"]);

        var started = Stopwatch.GetTimestamp();
        var (exitCode, lines) = await RunAsync(root, arguments);
        PublishTime = Stopwatch.GetElapsedTime(started);
        var command = "dotnet " + string.Join(' ', arguments);
        if (exitCode != 0)
            throw new InvalidOperationException($"{command} failed with exit code {exitCode} after {PublishTime.TotalSeconds:F0} s; the last {TailLines} lines:\n{Tail(lines)}");

        Executable = Path.Combine(output, "Proxy");
        if (!File.Exists(Executable) || !IsElf(Executable))
            throw new InvalidOperationException($"{command} did not produce an executable {Executable}; the output folder holds: " +
                string.Join(", ", Directory.GetFiles(output).Select(Path.GetFileName)) + $"\n{Tail(lines)}");
        CheckOutput(output);
        PublishedBytes = Directory.GetFiles(output, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        TestContext.Current.SendDiagnosticMessage($"{Dockerfile}'s proxy published in {PublishTime.TotalSeconds:F0} s: {Executable} ({PublishedBytes / 1048576.0:F1} MiB in all)");
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

    /// <summary>
    /// The arguments between the project and <c>-o /app</c> of the Dockerfile's publish line, the
    /// runtime identifier made this machine's.
    /// </summary>
    internal static IReadOnlyList<string> PublishArguments(string dockerfile)
    {
        var match = PublishLine().Match(dockerfile);
        if (!match.Success) throw new InvalidOperationException("The Dockerfile has no `RUN dotnet publish src/Proxy/Proxy.csproj … -o /app` line.");
        var arguments = match.Groups["arguments"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var rid = arguments.IndexOf("-r");
        if (rid >= 0 && rid + 1 < arguments.Count) arguments[rid + 1] = RuntimeIdentifier();
        return arguments;
    }

    /// <summary>The <c>DOTNET_*</c> variables of the Dockerfile's <c>ENV</c> lines.</summary>
    internal static IReadOnlyDictionary<string, string> RuntimeSettings(string dockerfile) =>
        EnvInstruction().Matches(dockerfile).SelectMany(e => RuntimeSetting().Matches(e.Value))
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);

    /// <summary>The folder holding <c>Directory.Packages.props</c>, walking up from the test's output folder.</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Directory.Packages.props"))) return folder.FullName;
        }
        throw new InvalidOperationException($"No Directory.Packages.props above {AppContext.BaseDirectory}: cannot find the repository root.");
    }

    private static string RuntimeIdentifier() => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";

    protected static string? FindOnPath(string name) =>
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

    [GeneratedRegex(@"^RUN dotnet publish src/Proxy/Proxy\.csproj (?<arguments>.*?) -o /app", RegexOptions.Multiline)]
    private static partial Regex PublishLine();

    /// <summary>An <c>ENV</c> instruction with its continuation lines.</summary>
    [GeneratedRegex(@"^ENV (?:[^\n]*\\\n)*[^\n]*", RegexOptions.Multiline)]
    private static partial Regex EnvInstruction();

    [GeneratedRegex(@"(?<name>DOTNET_\w+)=(?<value>[^\s\\]+)")]
    private static partial Regex RuntimeSetting();
}

/// <summary>
/// The default image's build (<c>src/Proxy/Dockerfile</c>): self-contained and trimmed, run by the JIT
/// (its own trimmed runtime beside it, not the machine's shared one).
/// </summary>
public sealed class TrimmedProxyBuild() : PublishedProxyBuild("src/Proxy/Dockerfile")
{
    protected override void CheckOutput(string output)
    {
        if (!File.Exists(Path.Combine(output, "Proxy.dll")) || !File.Exists(Path.Combine(output, "libcoreclr.so")))
            throw new InvalidOperationException($"{Dockerfile}'s publish is not a self-contained JIT build: no Proxy.dll beside libcoreclr.so in {output}.");
        // Trimmed: its core library is IL cut down to what the proxy uses, smaller than the shared
        // framework's (which carries precompiled code for every method).
        var ours = new FileInfo(Path.Combine(output, "System.Private.CoreLib.dll")).Length;
        var shared = new FileInfo(typeof(object).Assembly.Location).Length;
        if (ours * 2 > shared)
            throw new InvalidOperationException($"{Dockerfile}'s publish is not trimmed: System.Private.CoreLib.dll is {ours} bytes, the shared framework's {shared}.");
    }
}

/// <summary>
/// The Native AOT image's build (<c>src/Proxy/Dockerfile.aot</c>). Needs a C toolchain and zlib:
/// outside CI a missing one skips the tests, in CI (<c>GATEWAY_TEST_REQUIRE_SERVICES=1</c>) it fails them.
/// </summary>
public sealed class NativeAotProxyBuild() : PublishedProxyBuild("src/Proxy/Dockerfile.aot")
{
    protected override string? MissingPrerequisite()
    {
        const string Install = "(Debian packages gcc or clang, and zlib1g-dev; .ci/run installs them)";
        if (FindOnPath("clang") is null && FindOnPath("gcc") is null)
            return $"The Native AOT proxy tests need a C compiler and linker to publish {Install}.";
        if (!File.Exists("/usr/include/zlib.h"))
            return $"The Native AOT proxy tests need zlib's development files to link {Install}.";
        return null;
    }

    // The image's SDK has clang; where only gcc is (this machine), link with gcc.
    protected override IEnumerable<string> MachineArguments() => FindOnPath("clang") is null ? ["-p:CppCompilerAndLinker=gcc"] : [];

    protected override void CheckOutput(string output)
    {
        if (File.Exists(Path.Combine(output, "Proxy.dll")))
            throw new InvalidOperationException($"{Dockerfile}'s publish is not a native build: {output} holds Proxy.dll.");
    }
}

/// <summary>
/// The classes that run one published build share its publish. Not run in parallel with other
/// collections: a publish keeps both cores busy for a minute (trimmed) or three (native), which
/// would starve the timing bounds of the load and durability tests running beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrimmedProxyCollection : ICollectionFixture<TrimmedProxyBuild>
{
    public const string Name = "published proxy: trimmed (default image)";
}

/// <inheritdoc cref="TrimmedProxyCollection"/>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeAotProxyCollection : ICollectionFixture<NativeAotProxyBuild>
{
    public const string Name = "published proxy: Native AOT";
}
