using System.ComponentModel.DataAnnotations;
using Gateway.ControlPlane.Data;

namespace Gateway.ControlPlane.Infrastructure;

/// <summary>Settings under <c>ControlPlane</c>.</summary>
internal sealed class ControlPlaneOptions : IValidatableObject
{
    public const string Section = "ControlPlane";

    /// <summary>Where the SQLite file and generated keys live (default run). Default: <c>./data</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    public DatabaseOptions Database { get; set; } = new();

    public DefaultRunOptions DefaultRun { get; set; } = new();

    /// <summary>Largest admin API request body, in bytes (larger → 413).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The latest expiry an API key may get, in days from its creation.</summary>
    [Range(1, 3650)]
    public int MaxKeyLifetimeDays { get; set; } = 365;

    /// <summary>
    /// How often the audit chain's signed head is written to the log when it moved (event 500), so
    /// that a copy of it lives outside the database; 0: never.
    /// </summary>
    [Range(0, 1440)]
    public int AuditHeadLogMinutes { get; set; } = 5;

    public ProvidersOptions Providers { get; set; } = new();

    public ChangeControlOptions ChangeControl { get; set; } = new();

    public Features.Notifications.NotificationsOptions Notifications { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Gateway.Contracts.Snapshot.HostAllowList.Problems(Providers.AllowedHosts, "ControlPlane:Providers:AllowedHosts")
            .Select(problem => new ValidationResult(problem, [nameof(Providers)]))
            .Concat(Notifications.Problems().Select(problem => new ValidationResult(problem, [nameof(Notifications)])));

    /// <summary>Full path of a file under <see cref="DataDirectory"/>.</summary>
    public string DataPath(string fileName) => Path.Combine(Path.GetFullPath(DataDirectory), fileName);
}

/// <summary>Section <c>ControlPlane:Providers</c>.</summary>
internal sealed class ProvidersOptions
{
    /// <summary>
    /// The hosts a provider's base URL may name (<see cref="Gateway.Contracts.Snapshot.HostAllowList"/>);
    /// another host gets a 400 on <c>baseUrl</c>. Empty: every host. The proxies hold their own list
    /// (<c>Proxy:Egress:AllowedHosts</c>), which is the control: this one answers an admin at once.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
}

/// <summary>Section <c>ControlPlane:ChangeControl</c>.</summary>
internal sealed class ChangeControlOptions
{
    /// <summary>
    /// Four eyes on the catalog and the providers: a platform admin's change to them is held
    /// (202, <c>/api/changes</c>) until another platform admin approves it. Default: off.
    /// </summary>
    public bool RequireSecondAdmin { get; set; }
}

internal sealed class DatabaseOptions
{
    /// <summary>
    /// <c>Sqlite</c>, <c>SqlServer</c> or <c>PostgreSql</c>; the connection string is <c>ConnectionStrings:Gateway</c>.
    /// The Production environment defaults to <c>SqlServer</c> (<c>appsettings.Production.json</c>); the default run
    /// (Development) and an unconfigured host use SQLite under <see cref="ControlPlaneOptions.DataDirectory"/>.
    /// </summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations at start (default run: yes; production applies the scripts in <c>db/</c>).</summary>
    public bool MigrateOnStart { get; set; }
}

/// <summary>The embedded default run: seeded demo world, demo users, generated keys.</summary>
internal sealed class DefaultRunOptions
{
    /// <summary>Seed the demo catalog, users and clients, and generate missing signing keys.</summary>
    public bool Enabled { get; set; }

    /// <summary>MockLlm's URL, the upstream of every demo provider.</summary>
    public string MockLlmUrl { get; set; } = "http://localhost:5089";

    /// <summary>The <c>gateway-proxy</c> client's secret on the default run (the AppHost passes the same value to the proxy).</summary>
    public string? ProxyClientSecret { get; set; }
}
