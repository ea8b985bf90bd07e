using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Components.Pages.Admin;
using Gateway.Portal.Tests.Infrastructure;

namespace Gateway.Portal.Tests.Pages;

public sealed class AuditTests : PortalTestContext
{
    private static readonly AuditEventDto Event = new(7, Data.Now, "user-admin", "admin@demo.bank", "apiKey.revoke", "apiKey", "abcdefghijkl",
        """{"status":"active"}""", """{"status":"revoked"}""", new string('a', 64), new string('b', 64));

    private static readonly AuditHeadDto Head = new(42, new string('c', 64), Data.Now, "0123456789abcdef", "c2lnbmF0dXJl");

    public AuditTests()
    {
        SignInAs(GatewayRoles.PlatformAdmin);
        ControlPlane.Json(HttpMethod.Get, "/api/audit/head", Head);
    }

    [Fact]
    public void IntactChain_AndEvents_AreShown()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/audit/verify", new AuditVerificationDto(true, 42, null, null));
        ControlPlane.Json(HttpMethod.Get, "/api/audit", Data.Page(Event));
        var cut = RenderPage<Audit>();
        cut.WaitForAssertion(() => Assert.Contains("Hash chain intact: 42 events verified.", cut.Find("[data-testid=chain-status]").TextContent));
        cut.WaitForAssertion(() => Assert.Contains("apiKey.revoke", cut.Find("[data-testid=audit-grid]").TextContent));
        Assert.Equal("exports/audit.csv", cut.Find("[data-testid=audit-csv]").GetAttribute("href"));
    }

    [Fact]
    public void BrokenChain_NamesTheFirstBrokenEvent()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/audit/verify", new AuditVerificationDto(false, 12, 7, "its hash does not match its contents"));
        ControlPlane.Json(HttpMethod.Get, "/api/audit", Data.Page<AuditEventDto>());
        var cut = RenderPage<Audit>();
        cut.WaitForAssertion(() => Assert.Contains("Hash chain broken at event 7: its hash does not match its contents", cut.Find("[data-testid=chain-status]").TextContent));
        cut.WaitForAssertion(() => Assert.Contains("No event matches these filters.", cut.Markup));
    }

    [Fact]
    public void Error_ShowsTheApiMessage()
    {
        ControlPlane.Problem(HttpMethod.Get, "/api/audit/verify", HttpStatusCode.Forbidden, "Forbidden", "Platform admins only.");
        ControlPlane.Problem(HttpMethod.Get, "/api/audit", HttpStatusCode.Forbidden, "Forbidden", "Platform admins only.");
        ControlPlane.Problem(HttpMethod.Get, "/api/audit/head", HttpStatusCode.Forbidden, "Forbidden", "Platform admins only.");
        var cut = RenderPage<Audit>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=api-error]").Count));
    }

    [Fact]
    public void TheSignedHead_IsShown()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/audit/verify", new AuditVerificationDto(true, 42, null, null));
        ControlPlane.Json(HttpMethod.Get, "/api/audit", Data.Page(Event));
        var cut = RenderPage<Audit>();
        cut.WaitForAssertion(() => Assert.Contains($"Chain head: event 42, hash {Head.Hash}, signed by key 0123456789abcdef", cut.Find("[data-testid=chain-head]").TextContent));
    }

    [Theory]
    [InlineData(true, "The chain still holds event 7 with that hash.")]
    [InlineData(false, "Not held: event 7: its hash is not the one attested for it: the chain up to it was rewritten")]
    public void AHeadKeptElsewhere_IsCheckedAgainstTheChain(bool held, string expected)
    {
        var hash = new string('d', 64);
        ControlPlane.Respond(HttpMethod.Get, "/api/audit/verify", request => request.RequestUri!.Query.Contains("sequence=", StringComparison.Ordinal)
            ? new AuditVerificationDto(held, 42, held ? null : 7, held ? null : "its hash is not the one attested for it: the chain up to it was rewritten")
            : new AuditVerificationDto(true, 42, null, null));
        ControlPlane.Json(HttpMethod.Get, "/api/audit", Data.Page(Event));
        var cut = RenderPage<Audit>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=chain-head]"));

        cut.Find("input[data-testid=head-sequence]").Change("7");
        cut.Find("input[data-testid=head-hash]").Change(" " + hash + " ");
        cut.Find("[data-testid=head-check]").Click();

        cut.WaitForAssertion(() => Assert.Equal(expected, cut.Find("[data-testid=head-status]").TextContent.Trim()));
        var sent = ControlPlane.Requests.Last(r => r.Path == "/api/audit/verify");
        Assert.Equal("7", sent.Query["sequence"]);
        Assert.Equal(hash, sent.Query["hash"]);
    }

    [Fact]
    public void AMalformedHead_ShowsTheControlPlanesError()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/audit", Data.Page(Event));
        ControlPlane.Problem(HttpMethod.Get, "/api/audit/verify", HttpStatusCode.BadRequest, "One or more validation errors occurred.", null,
            new() { ["hash"] = ["must be 64 lowercase hexadecimal characters"] });
        var cut = RenderPage<Audit>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=chain-head]"));
        cut.Find("input[data-testid=head-sequence]").Change("7");
        cut.Find("input[data-testid=head-hash]").Change("XYZ");
        cut.Find("[data-testid=head-check]").Click();
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[data-testid=api-error]"), e => e.TextContent.Contains("must be 64 lowercase hexadecimal characters", StringComparison.Ordinal)));
    }
}

public sealed class ProxyNodesTests : PortalTestContext
{
    public ProxyNodesTests()
    {
        SignInAs(GatewayRoles.PlatformAdmin);
        ControlPlane.Json(HttpMethod.Get, "/api/snapshot", new SnapshotInfoDto(17, Data.Now, "key-1", "PEM", 20_480, 5, 6, 2, 6, 3, 1));
    }

    [Fact]
    public void Data_ShowsAppliedRevisionAndHeartbeat()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/proxies", Data.Page(
            new ProxyNodeDto("proxy-a", "host-a", "1.0.0", 17, 0, Data.Now.AddHours(-1), Data.Now.AddSeconds(-3), true, true),
            new ProxyNodeDto("proxy-b", "host-b", "1.0.0", 15, 12, Data.Now.AddHours(-2), Data.Now.AddMinutes(-10), false, false)));
        var cut = RenderPage<ProxyNodes>();
        cut.WaitForAssertion(() => Assert.Contains("proxy-b", cut.Markup));
        Assert.Equal("17", cut.Find("[data-testid=current-revision]").TextContent);
        var grid = cut.Find("[data-testid=proxy-nodes]").TextContent;
        Assert.Contains("up to date", grid);
        Assert.Contains("behind", grid);
        Assert.Contains("2026-11-26 09:50 UTC", grid);
    }

    [Fact]
    public void Empty_SaysNoProxyConnected()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/proxies", Data.Page<ProxyNodeDto>());
        var cut = RenderPage<ProxyNodes>();
        cut.WaitForAssertion(() => Assert.Contains("No proxy has connected to the control plane yet.", cut.Markup));
    }
}

public sealed class ModelsAdminTests : PortalTestContext
{
    public ModelsAdminTests() => SignInAs(GatewayRoles.PlatformAdmin);

    [Fact]
    public void Data_ShowsVersionsPricesDeploymentsAndCanary()
    {
        var model = Data.Model("gpt-4o") with { Canary = new CanarySpec("gpt-4o-2024-05-01", 10) };
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page(model));
        var cut = RenderPage<Models>();
        cut.WaitForAssertion(() => Assert.Contains("10 % → gpt-4o-2024-05-01", cut.Markup));
        var versions = cut.Find("[data-testid=admin-versions-gpt-4o]").TextContent;
        Assert.Contains("gpt-4o-2024-07-18-primary: mockllm-azure/gpt-4o-2024-07-18 (weight 1, priority 0)", versions);
        Assert.Contains("0.60 USD", versions);
    }

    [Fact]
    public void NewPrices_AreSentWithTheVersionsStamp()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page(Data.Model("gpt-4o")));
        ControlPlane.Json(HttpMethod.Put, "/api/models/gpt-4o/versions/gpt-4o-2024-07-18/prices", Data.Version("gpt-4o", "gpt-4o-2024-07-18", VersionStatus.Ga, 0.2m, 0.8m));
        var cut = RenderPage<Models>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button")));
        cut.FindAll("button").First(b => b.TextContent.Trim() == "Prices").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll(".mud-dialog button")));
        Host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Save prices").Click();
        Host.WaitForAssertion(() => Assert.True(ControlPlane.Sent(HttpMethod.Put, "/api/models/gpt-4o/versions/gpt-4o-2024-07-18/prices")));
        var body = ControlPlane.Last(HttpMethod.Put, "/api/models/gpt-4o/versions/gpt-4o-2024-07-18/prices").Json;
        Assert.Equal(0.15m, body.GetProperty("prices").GetProperty("inputPerMillion").GetDecimal());
        Assert.Equal("stamp-gpt-4o-2024-07-18", body.GetProperty("concurrencyStamp").GetString());
    }

    [Fact]
    public void Error_ShowsTheApiMessage()
    {
        ControlPlane.Unreachable(HttpMethod.Get, "/api/models");
        var cut = RenderPage<Models>();
        cut.WaitForAssertion(() => Assert.Contains("cannot be reached", cut.Find("[data-testid=api-error]").TextContent));
    }
}

public sealed class DirectoryAdminTests : PortalTestContext
{
    public DirectoryAdminTests() => SignInAs(GatewayRoles.PlatformAdmin);

    [Fact]
    public void Teams_ShowCostCentresAndMembers()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/teams", Data.Page(new TeamDto("team-risk", "Risk Analytics", "CC-2002", null, 2, Data.Now, "s")));
        ControlPlane.Json(HttpMethod.Get, "/api/teams/team-risk/members", Data.Page(new TeamMemberDto("u1", "dev2@demo.bank", "Dev Two", TeamRole.Member, Data.Now)));
        var cut = RenderPage<Teams>();
        cut.WaitForAssertion(() => Assert.Contains("CC-2002", cut.Find("[data-testid=teams-grid]").TextContent));
        var members = Render<TeamMembers>(p => p.Add(m => m.TeamId, "team-risk"));
        members.WaitForAssertion(() => Assert.Contains("dev2@demo.bank", members.Find("[data-testid=members-team-risk]").TextContent));
        Assert.Equal("email", ControlPlane.Last(HttpMethod.Get, "/api/teams/team-risk/members").Query["sort"]);
    }

    [Fact]
    public void Providers_Empty_SaysSo()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/providers", Data.Page<ProviderDto>());
        var cut = RenderPage<Providers>();
        cut.WaitForAssertion(() => Assert.Contains("No provider yet.", cut.Markup));
    }

    [Fact]
    public void Providers_ShowCredentialReferences()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/providers", Data.Page(new ProviderDto("mockllm-openai", ProviderKind.OpenAI, "http://mock", "env:MOCKLLM_API_KEY", null, 10, 300, 120, Data.Now, "s")));
        var cut = RenderPage<Providers>();
        cut.WaitForAssertion(() => Assert.Contains("env:MOCKLLM_API_KEY", cut.Find("[data-testid=providers-grid]").TextContent));
    }

    [Fact]
    public void OnesOwnRoles_CanBeGivenUp_ButNotTaken()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/users", Data.Page(
            new UserDto(TestUser.DefaultId, "admin@demo.bank", "Ada Admin", [GatewayRoles.PlatformAdmin, GatewayRoles.Developer], Data.Now),
            new UserDto("u2", "dev@demo.bank", "Dev One", [GatewayRoles.Developer], Data.Now)));
        var cut = RenderPage<Users>();
        cut.WaitForAssertion(() => Assert.Contains("Ada Admin", cut.Find("[data-testid=users-grid]").TextContent));

        cut.FindAll("[data-testid=users-grid] button").First(b => b.TextContent.Trim() == "Roles").Click();
        Host.WaitForAssertion(() => Host.Find("[data-testid=roles-self-hint]"));
        bool Disabled(string role) => Host.Find($"input[data-testid=role-{role}]").HasAttribute("disabled");
        Assert.True(Disabled(GatewayRoles.Approver));
        Assert.True(Disabled(GatewayRoles.FinanceAnalyst));
        Assert.True(Disabled(GatewayRoles.PlatformAdmin));
        Assert.False(Disabled(GatewayRoles.Developer));
        Host.FindAll("button").First(b => b.TextContent.Trim() == "Cancel").Click();

        // Someone else's roles: every box is free.
        Host.WaitForAssertion(() => Assert.Empty(Host.FindAll("[data-testid=roles-self-hint]")));
        cut.FindAll("[data-testid=users-grid] button").Where(b => b.TextContent.Trim() == "Roles").Last().Click();
        Host.WaitForAssertion(() => Host.Find($"[data-testid=role-{GatewayRoles.Approver}]"));
        Assert.Empty(Host.FindAll("[data-testid=roles-self-hint]"));
        Assert.All(GatewayRoles.All, role => Assert.False(Disabled(role)));
    }

    [Fact]
    public void Users_ShowRoles_FilteredByTheServer()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/users", Data.Page(new UserDto("u1", "approver@demo.bank", "Avery Approver", ["Approver", "Developer"], Data.Now)));
        var cut = RenderPage<Users>();
        cut.WaitForAssertion(() => Assert.Contains("Avery Approver", cut.Find("[data-testid=users-grid]").TextContent));
        Assert.Contains("Approver", cut.Find("[data-testid=users-grid]").TextContent);
    }
}
