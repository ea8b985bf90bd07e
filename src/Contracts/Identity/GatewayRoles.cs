namespace Gateway.Contracts.Identity;

/// <summary>The four roles of the governance model.</summary>
public static class GatewayRoles
{
    public const string Developer = "Developer";
    public const string Approver = "Approver";
    public const string FinanceAnalyst = "FinanceAnalyst";
    public const string PlatformAdmin = "PlatformAdmin";

    public static readonly IReadOnlyList<string> All = [Developer, Approver, FinanceAnalyst, PlatformAdmin];
}

/// <summary>OAuth scopes and client ids known to the control plane's OpenIddict server.</summary>
public static class GatewayScopes
{
    /// <summary>The admin API, on behalf of a user (Portal) or an automation client.</summary>
    public const string Api = "gateway.api";

    /// <summary>A proxy: snapshot feed, heartbeats and usage shipping.</summary>
    public const string Proxy = "gateway.proxy";

    public const string PortalClientId = "gateway-portal";
    public const string ProxyClientId = "gateway-proxy";
}
