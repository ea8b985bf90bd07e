using System.Net;
using System.Text.Json;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Components.Pages.Admin;
using Gateway.Portal.Tests.Infrastructure;

namespace Gateway.Portal.Tests.Pages;

/// <summary>A version's content guard on the admin models page: shown per version, set on a new version, changed in its own dialog, kept by the lifecycle dialog.</summary>
public sealed class ContentGuardAdminTests : PortalTestContext
{
    private const string Ga = "gpt-4o-2024-07-18";
    private const string Old = "gpt-4o-2024-05-01";
    private const string OldPath = $"/api/models/gpt-4o/versions/{Old}";

    private static readonly ContentGuardSpec Blocks = new(GuardAction.Block, [ContentDetector.PaymentCard, ContentDetector.Iban]);
    private static readonly ContentGuardSpec Redacts = new(GuardAction.Redact, [ContentDetector.Credential]) { Patterns = ["(?i)project\\s+falcon", "ACME-\\d{6}"] };

    public ContentGuardAdminTests() => SignInAs(GatewayRoles.PlatformAdmin);

    [Fact]
    public void VersionsTable_SaysWhatEachVersionsGuardDoes()
    {
        var model = Guarded(Blocks, Redacts);
        var cut = RenderModels(model with { Versions = [.. model.Versions, Data.Version("gpt-4o", "gpt-4o-2024-11-20", VersionStatus.Preview, 0.2m, 0.8m)] });

        Assert.Equal("Blocks: payment card, IBAN", cut.Find($"[data-testid=guard-{Ga}]").TextContent.Trim());
        Assert.Equal("Redacts: credential, 2 patterns", cut.Find($"[data-testid=guard-{Old}]").TextContent.Trim());
        Assert.Equal("—", cut.Find("[data-testid=guard-gpt-4o-2024-11-20]").TextContent.Trim());
        Assert.DoesNotContain("falcon", cut.Find("[data-testid=admin-versions-gpt-4o]").TextContent);
    }

    [Fact]
    public void Lifecycle_Save_KeepsTheVersionsGuard()
    {
        // The PUT replaces every field: a lifecycle change that left the guard out would remove it.
        ControlPlane.Json(HttpMethod.Put, OldPath, Guarded(Blocks, Redacts).Versions[1]);
        var cut = RenderModels(Guarded(Blocks, Redacts));
        cut.FindAll("button").Where(b => b.TextContent.Trim() == "Lifecycle").ElementAt(1).Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll(".mud-dialog button")));
        Host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Save").Click();

        Host.WaitForAssertion(() => Assert.True(ControlPlane.Sent(HttpMethod.Put, OldPath)));
        var guard = ControlPlane.Last(HttpMethod.Put, OldPath).Json.GetProperty("contentGuard");
        Assert.Equal("redact", guard.GetProperty("action").GetString());
        Assert.Equal(["credential"], Strings(guard.GetProperty("detectors")));
        Assert.Equal(["(?i)project\\s+falcon", "ACME-\\d{6}"], Strings(guard.GetProperty("patterns")));
    }

    [Fact]
    public void GuardDialog_OpensPrefilledWithTheVersionsGuard()
    {
        var cut = RenderModels(Guarded(Blocks, Redacts));
        OpenGuardDialog(cut, Old);

        Assert.True(Host.Find("input[data-testid=guard-enabled]").HasAttribute("checked"));
        Assert.True(Host.Find("input[data-testid=guard-action-redact]").HasAttribute("checked"));
        Assert.False(Host.Find("input[data-testid=guard-action-block]").HasAttribute("checked"));
        Assert.True(Host.Find("input[data-testid=guard-detector-credential]").HasAttribute("checked"));
        Assert.False(Host.Find("input[data-testid=guard-detector-iban]").HasAttribute("checked"));
        Assert.Equal("(?i)project\\s+falcon\nACME-\\d{6}", PatternsText());
        Assert.Contains("Refuses the request with 400", Host.Find(".mud-dialog").TextContent);
        Assert.Contains("sends the rest", Host.Find(".mud-dialog").TextContent);
    }

    [Fact]
    public void GuardDialog_Save_SendsTheEditedGuard_WithTheOtherFieldsAsTheyAre()
    {
        var model = Guarded(Blocks, Redacts);
        var old = model.Versions[1];
        ControlPlane.Json(HttpMethod.Put, OldPath, old);
        var cut = RenderModels(model);
        OpenGuardDialog(cut, Old);
        Host.Find("input[data-testid=guard-action-block]").Click();
        Host.Find("input[data-testid=guard-detector-iban]").Change(true);
        Host.Find("input[data-testid=guard-detector-credential]").Change(false);
        Host.Find("textarea[data-testid=guard-patterns]").Change("  ACME-\\d{6}  \n\n \nINT-[0-9]{4}\n");
        Host.Find("button[data-testid=guard-save]").Click();

        Host.WaitForAssertion(() => Assert.Contains("Saved.", Host.Markup));
        Assert.Empty(Host.FindAll(".mud-dialog"));
        var body = ControlPlane.Last(HttpMethod.Put, OldPath).Json;
        var guard = body.GetProperty("contentGuard");
        Assert.Equal("block", guard.GetProperty("action").GetString());
        Assert.Equal(["iban"], Strings(guard.GetProperty("detectors")));
        Assert.Equal(["ACME-\\d{6}", "INT-[0-9]{4}"], Strings(guard.GetProperty("patterns")));
        Assert.Equal("deprecated", body.GetProperty("status").GetString());
        Assert.Equal("confidential", body.GetProperty("maxDataClassification").GetString());
        Assert.Equal(old.DeprecatedAt, body.GetProperty("deprecatedAt").GetDateTimeOffset());
        Assert.Equal(old.SunsetAt, body.GetProperty("sunsetAt").GetDateTimeOffset());
        Assert.Equal(Ga, body.GetProperty("successor").GetString());
        Assert.Equal(16_384, body.GetProperty("maxOutputTokens").GetInt32());
        Assert.Equal(128_000, body.GetProperty("contextWindow").GetInt32());
        Assert.Equal("stamp-" + Old, body.GetProperty("concurrencyStamp").GetString());
    }

    [Fact]
    public void GuardDialog_SwitchedOn_ProposesEveryDetectorAndBlock()
    {
        ControlPlane.Json(HttpMethod.Put, $"/api/models/gpt-4o/versions/{Ga}", Data.Model("gpt-4o").Versions[0]);
        var cut = RenderModels(Data.Model("gpt-4o"));
        OpenGuardDialog(cut, Ga);
        Assert.Empty(Host.FindAll("input[data-testid=guard-detector-iban]"));
        Host.Find("input[data-testid=guard-enabled]").Change(true);
        Host.Find("input[data-testid=guard-detector-iban]").Change(false);
        Host.Find("button[data-testid=guard-save]").Click();

        Host.WaitForAssertion(() => Assert.True(ControlPlane.Sent(HttpMethod.Put, $"/api/models/gpt-4o/versions/{Ga}")));
        var guard = ControlPlane.Last(HttpMethod.Put, $"/api/models/gpt-4o/versions/{Ga}").Json.GetProperty("contentGuard");
        Assert.Equal("block", guard.GetProperty("action").GetString());
        Assert.Equal(["payment-card", "credential"], Strings(guard.GetProperty("detectors")));
        Assert.Equal(JsonValueKind.Null, guard.GetProperty("patterns").ValueKind);
    }

    [Fact]
    public void GuardDialog_SwitchedOff_SendsNoGuard()
    {
        ControlPlane.Json(HttpMethod.Put, OldPath, Data.Model("gpt-4o").Versions[1]);
        var cut = RenderModels(Guarded(Blocks, Redacts));
        OpenGuardDialog(cut, Old);
        Host.Find("input[data-testid=guard-enabled]").Change(false);
        Assert.Empty(Host.FindAll("textarea[data-testid=guard-patterns]"));
        Host.Find("button[data-testid=guard-save]").Click();

        Host.WaitForAssertion(() => Assert.True(ControlPlane.Sent(HttpMethod.Put, OldPath)));
        var body = ControlPlane.Last(HttpMethod.Put, OldPath).Json;
        Assert.Equal(JsonValueKind.Null, body.GetProperty("contentGuard").ValueKind);
        Assert.Equal("deprecated", body.GetProperty("status").GetString());
    }

    [Fact]
    public void GuardDialog_HeldForASecondAdmin_SaysSentForApproval()
    {
        ControlPlane.Json(HttpMethod.Put, OldPath, Data.Change("chg-held", TestUser.DefaultId), HttpStatusCode.Accepted);
        var cut = RenderModels(Guarded(Blocks, Redacts));
        OpenGuardDialog(cut, Old);
        Host.Find("button[data-testid=guard-save]").Click();

        Host.WaitForAssertion(() => Assert.Contains("Sent for a second admin's approval (chg-held).", Host.Markup));
        Assert.Empty(Host.FindAll(".mud-dialog"));
        Assert.DoesNotContain("Saved.", Host.Markup);
    }

    [Fact]
    public void GuardDialog_ApiErrorForAPattern_ShowsOnThePatternsField_NamingIt()
    {
        ControlPlane.Problem(HttpMethod.Put, OldPath, HttpStatusCode.BadRequest, "One or more validation errors occurred.",
            errors: new() { ["contentGuard.patterns[0]"] = ["matches too much of an ordinary request"] });
        var cut = RenderModels(Guarded(Blocks, Redacts));
        OpenGuardDialog(cut, Old);
        Host.Find("button[data-testid=guard-save]").Click();

        Host.WaitForAssertion(() => Assert.Contains("'(?i)project\\s+falcon' matches too much of an ordinary request.", PatternsField().TextContent));
        Assert.DoesNotContain("contentGuard.patterns[0]", Host.Markup);
        Assert.Empty(Host.FindAll(".mud-dialog [data-testid=api-error]"));
        Assert.DoesNotContain("Saved.", Host.Markup);
    }

    [Fact]
    public void GuardDialog_ApiErrorForAnotherField_IsListed()
    {
        ControlPlane.Problem(HttpMethod.Put, OldPath, HttpStatusCode.BadRequest, "One or more validation errors occurred.",
            errors: new() { ["successor"] = ["'gpt-4o-2024-07-18' was retired meanwhile"] });
        var cut = RenderModels(Guarded(Blocks, Redacts));
        OpenGuardDialog(cut, Old);
        Host.Find("button[data-testid=guard-save]").Click();

        Host.WaitForAssertion(() => Assert.Contains("successor 'gpt-4o-2024-07-18' was retired meanwhile", Host.Find(".mud-dialog .mud-alert").TextContent));
    }

    [Fact]
    public void GuardDialog_PatternTheProxiesCannotRun_IsRefusedOnTheField_WithoutSending()
    {
        var cut = RenderModels(Guarded(Blocks, Redacts));
        OpenGuardDialog(cut, Old);
        Host.Find("textarea[data-testid=guard-patterns]").Change("ACME-\\d{6}\n(?<=secret )\\w+");
        Host.Find("button[data-testid=guard-save]").Click();

        Host.WaitForAssertion(() => Assert.Contains("'(?<=secret )\\w+' uses what a pattern matched without backtracking cannot", PatternsField().TextContent));
        Assert.False(ControlPlane.Sent(HttpMethod.Put, OldPath));

        // Fixing it clears the objection.
        Host.Find("textarea[data-testid=guard-patterns]").Change("ACME-\\d{6}");
        Host.WaitForAssertion(() => Assert.DoesNotContain("without backtracking cannot", PatternsField().TextContent));
    }

    [Fact]
    public void GuardDialog_NothingToLookFor_IsRefused_WithoutSending()
    {
        var cut = RenderModels(Guarded(Blocks, Redacts));
        OpenGuardDialog(cut, Ga);
        Host.Find("input[data-testid=guard-detector-payment-card]").Change(false);
        Host.Find("input[data-testid=guard-detector-iban]").Change(false);
        Host.Find("button[data-testid=guard-save]").Click();

        Host.WaitForAssertion(() => Assert.Contains("name at least one detector or pattern", Host.Find("[data-testid=guard-error]").TextContent));
        Assert.False(ControlPlane.Sent(HttpMethod.Put, $"/api/models/gpt-4o/versions/{Ga}"));
    }

    [Fact]
    public void GuardDialog_ApiErrorForTheWholeGuard_IsShownInTheGuard()
    {
        ControlPlane.Problem(HttpMethod.Put, OldPath, HttpStatusCode.BadRequest, "One or more validation errors occurred.",
            errors: new() { ["contentGuard"] = ["cannot be set on this version"] });
        var cut = RenderModels(Guarded(Blocks, Redacts));
        OpenGuardDialog(cut, Old);
        Host.Find("button[data-testid=guard-save]").Click();

        Host.WaitForAssertion(() => Assert.Equal("The guard: cannot be set on this version.", Host.Find("[data-testid=guard-error]").TextContent.Trim()));
        Assert.Empty(Host.FindAll(".mud-dialog .mud-alert"));
    }

    [Fact]
    public void RealtimeModel_OffersNoGuard()
    {
        // The proxies relay a realtime session's frames as they come: the API refuses a guard there.
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page(Data.Model("gpt-4o-realtime", ModelKind.Realtime)));
        var cut = RenderPage<Models>();
        cut.WaitForAssertion(() => Assert.Contains("gpt-4o-realtime-2024-07-18", cut.Markup));

        Assert.Empty(cut.FindAll("[data-testid^=guard-edit-]"));
        Assert.Equal("—", cut.Find("[data-testid=guard-gpt-4o-realtime-2024-07-18]").TextContent.Trim());
        cut.FindAll("button").First(b => b.TextContent.Trim() == "Add version").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("input[data-testid=version-name]")));
        Assert.NotEmpty(Host.FindAll("[data-testid=guard-not-for-realtime]"));
        Assert.Empty(Host.FindAll("input[data-testid=guard-enabled]"));
    }

    [Fact]
    public void NewModel_TurnedRealtime_SendsNoGuard()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page<ModelDto>());
        ControlPlane.Json(HttpMethod.Post, "/api/models", Data.Model("gpt-4o-realtime", ModelKind.Realtime), HttpStatusCode.Created);
        var cut = RenderPage<Models>();
        cut.WaitForAssertion(() => Assert.Contains("No model matches.", cut.Markup));
        cut.FindAll("button").First(b => b.TextContent.Trim() == "New model").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("input[data-testid=guard-enabled]")));
        Host.Find("input[data-testid=guard-enabled]").Change(true);
        ChooseKind(ModelKind.Realtime);
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("[data-testid=guard-not-for-realtime]")));
        Host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Save").Click();

        Host.WaitForAssertion(() => Assert.True(ControlPlane.Sent(HttpMethod.Post, "/api/models")));
        var body = ControlPlane.Last(HttpMethod.Post, "/api/models").Json;
        Assert.Equal("realtime", body.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("firstVersion").GetProperty("contentGuard").ValueKind);
    }

    [Fact]
    public void NewVersion_WithAGuard_SendsIt()
    {
        ControlPlane.Json(HttpMethod.Post, "/api/models/gpt-4o/versions", Data.Model("gpt-4o").Versions[0], HttpStatusCode.Created);
        var cut = RenderModels(Data.Model("gpt-4o"));
        cut.FindAll("button").First(b => b.TextContent.Trim() == "Add version").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("input[data-testid=version-name]")));
        Host.Find("input[data-testid=version-name]").Change("gpt-4o-2025-01-01");
        Host.Find("input[data-testid=guard-enabled]").Change(true);
        Host.Find("input[data-testid=guard-action-redact]").Click();
        Host.Find("input[data-testid=guard-detector-payment-card]").Change(false);
        Host.Find("textarea[data-testid=guard-patterns]").Change("(?i)project\\s+falcon");
        Host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Add version").Click();

        Host.WaitForAssertion(() => Assert.Contains("Version added.", Host.Markup));
        var body = ControlPlane.Last(HttpMethod.Post, "/api/models/gpt-4o/versions").Json;
        Assert.Equal("gpt-4o-2025-01-01", body.GetProperty("name").GetString());
        var guard = body.GetProperty("contentGuard");
        Assert.Equal("redact", guard.GetProperty("action").GetString());
        Assert.Equal(["iban", "credential"], Strings(guard.GetProperty("detectors")));
        Assert.Equal(["(?i)project\\s+falcon"], Strings(guard.GetProperty("patterns")));
    }

    [Fact]
    public void NewVersion_WithoutAGuard_SendsNone()
    {
        ControlPlane.Json(HttpMethod.Post, "/api/models/gpt-4o/versions", Data.Model("gpt-4o").Versions[0], HttpStatusCode.Created);
        var cut = RenderModels(Data.Model("gpt-4o"));
        cut.FindAll("button").First(b => b.TextContent.Trim() == "Add version").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("input[data-testid=version-name]")));
        Host.Find("input[data-testid=version-name]").Change("gpt-4o-2025-01-01");
        Host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Add version").Click();

        Host.WaitForAssertion(() => Assert.True(ControlPlane.Sent(HttpMethod.Post, "/api/models/gpt-4o/versions")));
        Assert.Equal(JsonValueKind.Null, ControlPlane.Last(HttpMethod.Post, "/api/models/gpt-4o/versions").Json.GetProperty("contentGuard").ValueKind);
    }

    [Fact]
    public void NewModel_ApiErrorForTheFirstVersionsPattern_ShowsOnThePatternsField()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page<ModelDto>());
        ControlPlane.Problem(HttpMethod.Post, "/api/models", HttpStatusCode.BadRequest, "One or more validation errors occurred.",
            errors: new() { ["firstVersion.contentGuard.patterns[0]"] = ["matches too much of an ordinary request"] });
        var cut = RenderPage<Models>();
        cut.WaitForAssertion(() => Assert.Contains("No model matches.", cut.Markup));
        cut.FindAll("button").First(b => b.TextContent.Trim() == "New model").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("input[data-testid=guard-enabled]")));
        Host.Find("input[data-testid=guard-enabled]").Change(true);
        Host.Find("textarea[data-testid=guard-patterns]").Change("INT-\\d+");
        Host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Save").Click();

        Host.WaitForAssertion(() => Assert.Contains("'INT-\\d+' matches too much of an ordinary request.", PatternsField().TextContent));
        Assert.Equal("INT-\\d+", Strings(ControlPlane.Last(HttpMethod.Post, "/api/models").Json.GetProperty("firstVersion").GetProperty("contentGuard").GetProperty("patterns")).Single());
    }

    private static ModelDto Guarded(ContentGuardSpec? ga, ContentGuardSpec? old)
    {
        var model = Data.Model("gpt-4o");
        return model with { Versions = [model.Versions[0] with { ContentGuard = ga }, model.Versions[1] with { ContentGuard = old }] };
    }

    private static List<string?> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString())];

    private IRenderedComponent<Models> RenderModels(ModelDto model)
    {
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page(model));
        var cut = RenderPage<Models>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid^=guard-edit-]")));
        return cut;
    }

    private void OpenGuardDialog(IRenderedComponent<Models> cut, string version)
    {
        cut.Find($"button[data-testid=guard-edit-{version}]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("button[data-testid=guard-save]")));
    }

    private void ChooseKind(ModelKind kind)
    {
        Host.Find("[data-testid=model-kind]").Closest(".mud-input-control")!.MouseDown();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll(".mud-popover-open .mud-list-item")));
        Host.FindAll(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == kind.ToString().ToLowerInvariant()).Click();
    }

    private string? PatternsText() => Host.Find("textarea[data-testid=guard-patterns]").GetAttribute("value");

    private AngleSharp.Dom.IElement PatternsField() => Host.Find("textarea[data-testid=guard-patterns]").Closest(".mud-input-control")!;
}
