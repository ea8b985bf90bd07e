using Gateway.Testing;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Contracts.Grpc;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.Integration.Tests.ScaleOut;

/// <summary>
/// Two control-plane replicas (real Kestrel on port 0, HTTP/2 gRPC listeners) on one real
/// PostgreSQL database and one shared key directory, as a Kubernetes Deployment of two runs them:
/// replica A migrates and seeds, then B starts on the same database. Needs
/// <c>GATEWAY_TEST_POSTGRES</c> (skipped without it, failed in CI).
/// </summary>
public sealed class ControlPlaneReplicas : IAsyncLifetime
{
    public const string ProxySecret = "replica-proxy-secret-0123456789";
    public const string AutomationSecret = "replica-automation-secret-0123456789";

    private readonly string _database = "cp_replicas_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "cp-replicas-" + Guid.NewGuid().ToString("N"));
    private readonly List<WebApplication> _replicas = [];
    private string? _baseConnection;

    public string? Unavailable { get; private set; }

    internal IReadOnlyList<WebApplication> Replicas => _replicas;

    public void Require()
    {
        if (Unavailable is not null) ServiceRequirement.Unmet(Unavailable);
    }

    public async ValueTask InitializeAsync()
    {
        _baseConnection = Environment.GetEnvironmentVariable("GATEWAY_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(_baseConnection))
        {
            Unavailable = "The control-plane replica tests need PostgreSQL: set GATEWAY_TEST_POSTGRES (a base Npgsql connection string without a database).";
            return;
        }
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_baseConnection) { Database = "postgres" }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(_baseConnection) { Database = _database }.ConnectionString;
        for (var i = 0; i < 2; i++) _replicas.Add(await StartReplicaAsync(connectionString));
    }

    private async Task<WebApplication> StartReplicaAsync(string connectionString)
    {
        var app = ControlPlaneApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ControlPlane:DataDirectory"] = _dataDirectory,
                ["ControlPlane:Database:Provider"] = "PostgreSql",
                ["ConnectionStrings:Gateway"] = connectionString,
                ["ControlPlane:Database:MigrateOnStart"] = "true",
                ["ControlPlane:DefaultRun:Enabled"] = "true",
                ["ControlPlane:DefaultRun:ProxyClientSecret"] = ProxySecret,
                ["ControlPlane:DefaultRun:AutomationClientSecret"] = AutomationSecret,
                ["ControlPlane:DefaultRun:MockLlmUrl"] = "http://127.0.0.1:5089",
                ["ControlPlane:GrpcUrl"] = "http://127.0.0.1:0",
                ["ControlPlane:Identity:RequireHttps"] = "false",
                // Replicas behind one load balancer share one public issuer (and one key directory).
                ["ControlPlane:Identity:Issuer"] = "http://controlplane.replicas.test/",
                ["ControlPlane:Snapshot:PollMilliseconds"] = "50",
                ["ControlPlane:Snapshot:UsageRefreshSeconds"] = "1",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "None",
            });
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    public Uri BaseAddress(int replica) => ControlPlaneAddresses.Http(_replicas[replica]);

    public Uri GrpcAddress(int replica) => ControlPlaneAddresses.Grpc(_replicas[replica]);

    /// <summary>A client-credentials token from <paramref name="replica"/>'s token endpoint.</summary>
    public async Task<string> TokenAsync(int replica, string clientId, string secret, string scope)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress(replica) };
        using var response = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = scope,
        }), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    public Task<string> AdminTokenAsync(int replica) => TokenAsync(replica, "gateway-automation", AutomationSecret, "gateway.api");

    public Task<string> ProxyTokenAsync(int replica) => TokenAsync(replica, "gateway-proxy", ProxySecret, "gateway.proxy");

    public HttpClient Api(int replica, string token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress(replica) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public GrpcChannel Channel(int replica, string token) => GrpcChannel.ForAddress(GrpcAddress(replica), new GrpcChannelOptions
    {
        MaxReceiveMessageSize = 64 * 1024 * 1024,
        UnsafeUseInsecureChannelCallCredentials = true,
        Credentials = Grpc.Core.ChannelCredentials.Create(Grpc.Core.ChannelCredentials.Insecure,
            Grpc.Core.CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("Authorization", $"Bearer {token}");
                return Task.CompletedTask;
            })),
    });

    /// <summary>Verifies (ECDSA P-256 with the replica's published key) and decodes one streamed snapshot.</summary>
    public static GatewaySnapshot Decode(SignedSnapshot message, ECDsa key)
    {
        var payload = message.Payload.ToByteArray();
        if (message.Gzip)
        {
            using var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            payload = output.ToArray();
        }
        Assert.True(SnapshotSigning.Verify(key, payload, message.Signature.Span), "A snapshot's signature does not verify.");
        return SnapshotJson.Deserialize(payload);
    }

    public async Task<ECDsa> PublicKeyAsync(int replica)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress(replica) };
        var key = ECDsa.Create();
        key.ImportFromPem(await http.GetStringAsync(new Uri("/snapshot/public-key", UriKind.Relative), TestContext.Current.CancellationToken));
        return key;
    }

    public async Task<long> CountUsageAsync(IReadOnlyCollection<string> requestIds)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_baseConnection) { Database = _database }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM \"UsageLedger\" WHERE \"RequestId\" = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", requestIds.ToArray());
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.StopAsync(CancellationToken.None);
            await replica.DisposeAsync();
        }
        if (Unavailable is null && _baseConnection is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_baseConnection) { Database = "postgres" }.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
