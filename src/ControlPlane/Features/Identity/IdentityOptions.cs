namespace Gateway.ControlPlane.Features.Identity;

/// <summary>Settings under <c>ControlPlane:Identity</c>.</summary>
internal sealed class GatewayIdentityOptions
{
    public const string Section = "ControlPlane:Identity";

    /// <summary>The token issuer (e.g. <c>https://gateway.bank.example/</c>). Default: the request's own base URL.</summary>
    public string? Issuer { get; set; }

    /// <summary>Refuse plain HTTP on the OIDC endpoints (production). The default run and tests turn it off.</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>PEM file of the RSA private key that signs tokens. Required unless the default run generates one.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>PEM file of the RSA private key that encrypts tokens. Required unless the default run generates one.</summary>
    public string? EncryptionKeyFile { get; set; }

    public int AccessTokenMinutes { get; set; } = 60;

    public int RefreshTokenDays { get; set; } = 14;

    /// <summary>OAuth clients, created or updated at start. The default run adds the portal, proxy and automation clients.</summary>
    public List<ClientOptions> Clients { get; set; } = [];

    /// <summary>The bank's OpenID Connect provider; users sign in there and are linked to local accounts.</summary>
    public ExternalProviderOptions External { get; set; } = new();
}

/// <summary>One OAuth client.</summary>
internal sealed class ClientOptions
{
    public string ClientId { get; set; } = "";

    /// <summary>Null: a public client (PKCE only).</summary>
    public string? ClientSecret { get; set; }

    public string? DisplayName { get; set; }

    /// <summary><c>authorization_code</c> (with PKCE and refresh tokens) and/or <c>client_credentials</c>.</summary>
    public List<string> GrantTypes { get; set; } = [];

    public List<string> RedirectUris { get; set; } = [];

    public List<string> PostLogoutRedirectUris { get; set; } = [];

    /// <summary>API scopes the client may ask for (<c>gateway.api</c>, <c>gateway.proxy</c>).</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Client credentials only: the gateway roles the client acts with (automation).</summary>
    public List<string> Roles { get; set; } = [];
}

/// <summary>An external OpenID Connect provider (the bank's identity provider).</summary>
internal sealed class ExternalProviderOptions
{
    /// <summary>Its issuer URL; empty disables external sign-in.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string DisplayName { get; set; } = "the bank's sign-in";

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim carrying the user's groups or roles at the provider.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Provider group or role → gateway role (Developer, Approver, FinanceAnalyst, PlatformAdmin).</summary>
    public Dictionary<string, string> RoleMap { get; set; } = [];

    /// <summary>Create a local account on first sign-in.</summary>
    public bool AutoProvision { get; set; } = true;
}
