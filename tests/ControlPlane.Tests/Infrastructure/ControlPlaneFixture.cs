using Gateway.Testing;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.DefaultRun;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.ControlPlane.Tests.Infrastructure;

/// <summary>
/// One real control plane (Kestrel on 127.0.0.1, port 0; HTTP/2 gRPC listener) per database
/// provider, shared by a test collection: seeded like the default run, with test clients.
/// </summary>
public abstract class ControlPlaneFixture : IAsyncLifetime
{
    public const string ProxySecret = "test-proxy-secret-0123456789";
    public const string ClientSecret = "test-client-secret-0123456789";

    private readonly ConcurrentDictionary<string, Task<string>> _tokens = new();
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "cp-tests-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private bool _started;

    internal abstract DatabaseProvider Provider { get; }

    /// <summary>Why the provider is unavailable (null when it is).</summary>
    public string? Unavailable { get; protected set; }

    public Uri BaseAddress { get; private set; } = null!;

    public Uri GrpcAddress { get; private set; } = null!;

    internal WebApplication App => _app ?? throw new InvalidOperationException("The host did not start.");

    /// <summary>Skips (or, in CI, fails) a test whose database is missing.</summary>
    public void Require()
    {
        if (Unavailable is not null) ServiceRequirement.Unmet(Unavailable);
    }

    protected abstract Task<string?> CreateDatabaseAsync();

    /// <summary>How often the snapshot publisher polls the revision (short, so tests see changes quickly).</summary>
    protected virtual int PollMilliseconds => 50;

    protected virtual Task DropDatabaseAsync() => Task.CompletedTask;

    /// <summary>Settings a fixture adds to (or overrides in) the common ones.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [];

    /// <summary>What a fixture adds to the host's builder (a log collector, say).</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public async ValueTask InitializeAsync()
    {
        var connectionString = await CreateDatabaseAsync();
        if (Unavailable is not null) return;
        _app = ControlPlaneApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(Settings(connectionString));
            Configure(builder);
        });
        await _app.StartAsync(TestContext.Current.CancellationToken);
        _started = true;
        BaseAddress = ControlPlaneAddresses.Http(_app);
        GrpcAddress = ControlPlaneAddresses.Grpc(_app);
    }

    private Dictionary<string, string?> Settings(string? connectionString)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ControlPlane:DataDirectory"] = _dataDirectory,
            ["ControlPlane:Database:Provider"] = Provider.ToString(),
            ["ControlPlane:Database:MigrateOnStart"] = "true",
            ["ControlPlane:DefaultRun:Enabled"] = "true",
            ["ControlPlane:DefaultRun:ProxyClientSecret"] = ProxySecret,
            ["ControlPlane:DefaultRun:MockLlmUrl"] = "http://127.0.0.1:5089",
            ["ControlPlane:GrpcUrl"] = "http://127.0.0.1:0",
            ["ControlPlane:Identity:RequireHttps"] = "false",
            ["ControlPlane:Snapshot:PollMilliseconds"] = PollMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ControlPlane:Snapshot:UsageRefreshSeconds"] = "1",
            // The host runs in Production (no environment is set), whose settings hold catalog, provider
            // and role changes for a second admin; the tests of that (ChangeControlTests) turn it on again.
            ["ControlPlane:ChangeControl:RequireSecondAdmin"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "None",
        };
        if (connectionString is not null) settings["ConnectionStrings:Gateway"] = connectionString;
        foreach (var (key, value) in ExtraSettings) settings[key] = value;
        AddClient(settings, 0, TestClients.SecondApprover, "Approver");
        AddClient(settings, 1, TestClients.NoRole, null);
        return settings;
    }

    private static void AddClient(Dictionary<string, string?> settings, int index, string clientId, string? role)
    {
        var prefix = $"ControlPlane:Identity:Clients:{index}:";
        settings[prefix + "ClientId"] = clientId;
        settings[prefix + "ClientSecret"] = ClientSecret;
        settings[prefix + "GrantTypes:0"] = "client_credentials";
        settings[prefix + "Scopes:0"] = "gateway.api";
        if (role is not null) settings[prefix + "Roles:0"] = role;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            if (_started) await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
        await DropDatabaseAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite file still mapped: the OS temp cleaner takes it.
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>A user's access token from the real code + PKCE flow (cached per user).</summary>
    public Task<string> TokenAsync(string email) =>
        _tokens.GetOrAdd(email, e => OidcLogin.UserTokenAsync(BaseAddress, e, DemoSeed.DemoPassword, CancellationToken.None));

    /// <summary>A client-credentials token (cached per client).</summary>
    public Task<string> ClientTokenAsync(string clientId, string secret = ClientSecret, string scope = "gateway.api") =>
        _tokens.GetOrAdd($"client:{clientId}:{scope}", _ => OidcLogin.ClientTokenAsync(BaseAddress, clientId, secret, scope, CancellationToken.None));

    public Task<string> ProxyTokenAsync() => ClientTokenAsync("gateway-proxy", ProxySecret, "gateway.proxy");

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<HttpClient> ClientAsAsync(string email) => Client(await TokenAsync(email));

    /// <summary>A gRPC channel to the HTTP/2 listener carrying a bearer token.</summary>
    public GrpcChannel Channel(string token) => GrpcChannel.ForAddress(GrpcAddress, new GrpcChannelOptions
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

    /// <summary>Runs work against the host's database in a fresh scope.</summary>
    internal async Task<T> DbAsync<T>(Func<GatewayDbContext, Task<T>> work)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<GatewayDbContext>());
    }
}

public static class TestClients
{
    public const string SecondApprover = "test-approver2";
    public const string NoRole = "test-norole";
}

public sealed class SqliteFixture() : ConfiguredSqliteFixture;

/// <summary>SQLite with settings of its own, added to (or overriding) the common ones.</summary>
public class ConfiguredSqliteFixture(params KeyValuePair<string, string?>[] settings) : ControlPlaneFixture
{
    internal override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override Task<string?> CreateDatabaseAsync() => Task.FromResult<string?>(null);

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => settings;
}

/// <summary>SQLite with the longest revision poll (10 s): what is published sooner came through the in-process signal.</summary>
public sealed class SlowPollSqliteFixture() : ConfiguredSqliteFixture
{
    protected override int PollMilliseconds => 10_000;
}

/// <summary>PostgreSQL from <c>GATEWAY_TEST_POSTGRES</c>: a fresh database per fixture, dropped at the end.</summary>
public sealed class PostgresFixture() : ConfiguredPostgresFixture;

/// <summary>PostgreSQL (as <see cref="PostgresFixture"/>) with settings of its own, added to (or overriding) the common ones.</summary>
public class ConfiguredPostgresFixture(params KeyValuePair<string, string?>[] settings) : ControlPlaneFixture
{
    private string? _baseConnection;
    private readonly string _database = "cp_test_" + Guid.NewGuid().ToString("N")[..12];

    internal override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => settings;

    protected override async Task<string?> CreateDatabaseAsync()
    {
        _baseConnection = Environment.GetEnvironmentVariable("GATEWAY_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(_baseConnection))
        {
            Unavailable = "PostgreSQL tests need GATEWAY_TEST_POSTGRES (a base Npgsql connection string without a database).";
            return null;
        }
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_baseConnection) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(_baseConnection) { Database = _database }.ConnectionString;
    }

    /// <summary>Drops the database under the running host: the outage a readiness probe must see.</summary>
    internal Task LoseDatabaseAsync() => DropDatabaseAsync();

    protected override async Task DropDatabaseAsync()
    {
        if (Unavailable is not null || _baseConnection is null) return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_baseConnection) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SqliteCollection : ICollectionFixture<SqliteFixture>
{
    public const string Name = "ControlPlane on SQLite";
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "ControlPlane on PostgreSQL";
}

[CollectionDefinition(Name)]
public sealed class SlowPollSqliteCollection : ICollectionFixture<SlowPollSqliteFixture>
{
    public const string Name = "ControlPlane on SQLite, 10 s revision poll";
}
