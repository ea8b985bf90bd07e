using Gateway.Testing;
using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Gateway.Integration.Tests.Deployment;

/// <summary>
/// <c>docker-compose.yml</c> validated by Debian's <c>docker-compose</c> (it parses and
/// interpolates without a Docker engine), then its resolved form checked for the production
/// shape. Outside CI a missing binary skips; in CI (<c>GATEWAY_TEST_REQUIRE_SERVICES=1</c>) it fails.
/// </summary>
public sealed class ComposeFileTests
{
    private const string Binary = "/usr/bin/docker-compose";

    private static readonly Dictionary<string, string> DummySecrets = new(StringComparer.Ordinal)
    {
        ["MSSQL_SA_PASSWORD"] = "dummy-sa-Passw0rd",
        ["REDIS_PASSWORD"] = "dummy-redis-password",
        ["PROXY_CLIENT_SECRET"] = "dummy-proxy-client-secret",
    };

    private static void Require()
    {
        if (!File.Exists(Binary)) ServiceRequirement.Unmet("The compose validation needs docker-compose (Debian package docker-compose; .ci/run installs it).");
    }

    [Fact]
    public async Task TheComposeFile_IsValid_WithItsSecretsSet()
    {
        Require();
        var (code, _, error) = await ComposeAsync(DummySecrets, "config", "-q");
        Assert.True(code == 0, "docker-compose config -q failed: " + error);
    }

    [Fact]
    public async Task WithoutItsSecrets_TheComposeFileRefusesToResolve_NamingTheMissingOne()
    {
        Require();
        foreach (var missing in DummySecrets.Keys)
        {
            var environment = DummySecrets.Where(p => p.Key != missing).ToDictionary(p => p.Key, p => p.Value);
            var (code, _, error) = await ComposeAsync(environment, "config", "-q");
            Assert.NotEqual(0, code);
            Assert.Contains(missing, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheResolvedFile_HasTheProductionShape()
    {
        Require();
        var (code, output, error) = await ComposeAsync(DummySecrets, "config");
        Assert.True(code == 0, error);
        var stream = new YamlStream();
        stream.Load(new StringReader(output));
        var services = (YamlMappingNode)stream.Documents[0].RootNode.At("services")!;
        var names = services.Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();
        Assert.Superset(new HashSet<string?> { "sqlserver", "db-init", "redis", "controlplane", "portal", "proxy-1", "proxy-2", "mockllm", "ingress" }, names);

        Assert.Equal("mcr.microsoft.com/mssql/server:2022-latest", services.Text("sqlserver", "image"));
        var controlPlane = EnvironmentOf(services, "controlplane");
        Assert.Equal("SqlServer", controlPlane["ControlPlane__Database__Provider"]);
        Assert.Contains("Server=sqlserver", controlPlane["ConnectionStrings__Gateway"], StringComparison.Ordinal);
        Assert.Equal("http://mockllm", controlPlane["ControlPlane__Providers__AllowedHosts__0"]);
        // The data-protection key ring on the volume is encrypted with a certificate from the secrets.
        Assert.StartsWith("/run/secrets/", controlPlane["ControlPlane__DataProtectionCertificateFile"], StringComparison.Ordinal);
        Assert.StartsWith("/run/secrets/", controlPlane["ControlPlane__DataProtectionCertificateKeyFile"], StringComparison.Ordinal);
        Assert.Equal("service_completed_successfully", services.Text("controlplane", "depends_on", "db-init", "condition"));
        foreach (var proxy in new[] { "proxy-1", "proxy-2" })
        {
            var env = EnvironmentOf(services, proxy);
            Assert.Equal("Redis", env["Proxy__Counters__Store"]);
            Assert.StartsWith("redis:6379", env["Proxy__Counters__Redis__Configuration"], StringComparison.Ordinal);
            Assert.Equal("Grpc", env["Proxy__Usage__Shipper"]);
            Assert.Equal(proxy, env["Proxy__NodeId"]);
            // A stop gets time to finish streams and ship the usage spool (docker's default is 10 s, the host's 30 s).
            Assert.Equal("110", env["DOTNET_SHUTDOWNTIMEOUTSECONDS"]);
            // /metrics on the management port only, which nothing publishes and nginx does not route.
            Assert.Equal("9090", env["Proxy__ManagementPort"]);
            Assert.Contains("http://+:9090", env["ASPNETCORE_URLS"], StringComparison.Ordinal);
            Assert.Null(services.At(proxy, "ports"));
            // Prompts and provider credentials go to MockLlm's host only.
            Assert.Equal("http://mockllm", env["Proxy__Egress__AllowedHosts__0"]);
            Assert.Equal("env:MOCKLLM_API_KEY", env["Proxy__Egress__Credentials__0__Reference"]);
            Assert.Equal("http://mockllm", env["Proxy__Egress__Credentials__0__Hosts__0"]);
            Assert.NotNull(services.Text(proxy, "stop_grace_period"));
            foreach (var dockerfile in new[] { services.Text(proxy, "build", "dockerfile")! })
                Assert.True(File.Exists(Path.Combine(RepositoryFiles.Root, dockerfile)), dockerfile);
        }
        // Every build names a Dockerfile of ours, which runs as the image's non-root user with a health check.
        foreach (var (key, service) in services.Children)
        {
            if (service.At("build", "dockerfile") is not YamlScalarNode dockerfile) continue;
            var text = await File.ReadAllTextAsync(Path.Combine(RepositoryFiles.Root, dockerfile.Value!), TestContext.Current.CancellationToken);
            Assert.Contains("USER $APP_UID", text, StringComparison.Ordinal);
            Assert.Contains("HEALTHCHECK", text, StringComparison.Ordinal);
        }
        // The dummy values appear only where the environment put them: nothing secret is written into the file.
        var file = await File.ReadAllTextAsync(Path.Combine(RepositoryFiles.Root, "docker-compose.yml"), TestContext.Current.CancellationToken);
        foreach (var value in DummySecrets.Values) Assert.DoesNotContain(value, file, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", file, StringComparison.Ordinal);
        Assert.Contains("deploy/compose/secrets/", await File.ReadAllTextAsync(Path.Combine(RepositoryFiles.Root, ".gitignore"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryDockerfile_RunsAsNonRoot_WithAHealthCheck_TheProxyImagesAreTrimmedAndNative()
    {
        var dockerfiles = Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "src"), "Dockerfile*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(dockerfiles, f => f.EndsWith(Path.Combine("Proxy", "Dockerfile.aot"), StringComparison.Ordinal));
        foreach (var dockerfile in dockerfiles)
        {
            var text = await File.ReadAllTextAsync(dockerfile, TestContext.Current.CancellationToken);
            Assert.Contains("USER $APP_UID", text, StringComparison.Ordinal);
            Assert.Contains("HEALTHCHECK", text, StringComparison.Ordinal);
        }
        var aot = await File.ReadAllTextAsync(Path.Combine(RepositoryFiles.Root, "src", "Proxy", "Dockerfile.aot"), TestContext.Current.CancellationToken);
        Assert.Contains("-p:PublishAot=true", aot, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/runtime-deps:10.0", aot, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"./Proxy\"]", aot, StringComparison.Ordinal);
        // The default image runs the trimmed self-contained JIT build on the bare runtime dependencies
        // (tests/Integration.Tests/Published runs both images' publish lines).
        var jit = await File.ReadAllTextAsync(Path.Combine(RepositoryFiles.Root, "src", "Proxy", "Dockerfile"), TestContext.Current.CancellationToken);
        Assert.Contains("--self-contained -p:PublishTrimmed=true", jit, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/runtime-deps:10.0", jit, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"./Proxy\"]", jit, StringComparison.Ordinal);
        // The GC setting of the default image holds for the native one too (bench/run.sh reads it from there).
        Assert.Contains("DOTNET_GCgen0size=0x1000000", jit, StringComparison.Ordinal);
        Assert.Contains("DOTNET_GCgen0size=0x1000000", aot, StringComparison.Ordinal);
        // Tiering up without the single-CPU tenfold delay (the JIT build only: the native one has no tiers).
        Assert.Contains("DOTNET_TC_DelaySingleProcMultiplier=1", jit, StringComparison.Ordinal);
        Assert.DoesNotContain("TC_DelaySingleProcMultiplier", aot, StringComparison.Ordinal);
        // Both images listen for traffic on 8080 and for /metrics on the management port 9090 alone.
        foreach (var image in new[] { jit, aot })
        {
            Assert.Contains("ENV ASPNETCORE_URLS=\"http://+:8080;http://+:9090\"", image, StringComparison.Ordinal);
            Assert.Contains("Proxy__ManagementPort=9090", image, StringComparison.Ordinal);
        }
        // Inline socket completions in both (the proxy must then never block a socket continuation).
        Assert.Contains("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1", jit, StringComparison.Ordinal);
        Assert.Contains("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1", aot, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> EnvironmentOf(YamlMappingNode services, string service) => services.Map(service, "environment");

    private static async Task<(int Code, string Output, string Error)> ComposeAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(Binary)
        {
            WorkingDirectory = RepositoryFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-f");
        info.ArgumentList.Add("docker-compose.yml");
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var name in DummySecrets.Keys) info.Environment.Remove(name);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }
}
