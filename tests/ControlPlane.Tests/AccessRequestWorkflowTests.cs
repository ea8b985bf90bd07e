using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Tests.Infrastructure;

namespace Gateway.ControlPlane.Tests;

/// <summary>Access requests: request → approve (maker-checker) → subscription in the snapshot; reject; races.</summary>
public abstract class AccessRequestWorkflowTests(ControlPlaneFixture fixture)
{
    private async Task<string> NewTeamAsync(string member)
    {
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var id = "team-" + Guid.NewGuid().ToString("N")[..8];
        await (await admin.PostJsonAsync("/api/teams", new CreateTeamRequest(id, "Test " + id, "CC-" + id[5..]))).ReadAsync<TeamDto>(HttpStatusCode.Created);
        await (await admin.PutJsonAsync($"/api/teams/{id}/members", new AddTeamMemberRequest(member))).ReadAsync<TeamMemberDto>();
        return id;
    }

    [Fact]
    public async Task Approve_CreatesSubscription_WithTheApproversLimits_AndItReachesTheSnapshot()
    {
        fixture.Require();
        var team = await NewTeamAsync("dev2@demo.bank");
        using var dev = await fixture.ClientAsAsync("dev2@demo.bank");
        using var approver = await fixture.ClientAsAsync("approver@demo.bank");

        var request = await (await dev.PostJsonAsync("/api/access-requests", new CreateAccessRequest(team, "gpt-4o", "Summaries",
            new LimitSpec(100, 50_000), new BudgetSpec(1_000_000, 25.5m, "USD")))).ReadAsync<AccessRequestDto>(HttpStatusCode.Created);
        Assert.Equal(AccessRequestStatus.Pending, request.Status);

        var approved = await (await approver.PostJsonAsync($"/api/access-requests/{request.Id}/approve",
            new ApproveAccessRequest(Limits: new LimitSpec(60, 20_000, 4), ConcurrencyStamp: request.ConcurrencyStamp))).ReadAsync<AccessRequestDto>();
        Assert.Equal(AccessRequestStatus.Approved, approved.Status);
        Assert.NotNull(approved.ResultSubscriptionId);

        var subscription = await (await dev.Get($"/api/subscriptions/{approved.ResultSubscriptionId}")).ReadAsync<SubscriptionDto>();
        Assert.Equal(new LimitSpec(60, 20_000, 4), subscription.Limits);
        Assert.Equal(new BudgetSpec(1_000_000, 25.5m, "USD"), subscription.Budget);

        var snapshot = await SnapshotWatch.WaitForAsync(fixture, s => s.Subscriptions.Any(x => x.Id == subscription.Id));
        var spec = snapshot.Subscriptions.Single(x => x.Id == subscription.Id);
        Assert.Equal(team, spec.TeamId);
        Assert.Equal(new LimitSpec(60, 20_000, 4), spec.Limits);
    }

    [Fact]
    public async Task Approve_OwnRequest_IsForbidden_MakerChecker()
    {
        fixture.Require();
        var team = await NewTeamAsync("approver@demo.bank");
        using var approver = await fixture.ClientAsAsync("approver@demo.bank");
        var request = await (await approver.PostJsonAsync("/api/access-requests", new CreateAccessRequest(team, "claude-sonnet", "Mine")))
            .ReadAsync<AccessRequestDto>(HttpStatusCode.Created);

        var response = await approver.PostJsonAsync($"/api/access-requests/{request.Id}/approve", new ApproveAccessRequest());
        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("maker-checker", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var second = fixture.Client(await fixture.ClientTokenAsync(TestClients.SecondApprover));
        var approved = await (await second.PostJsonAsync($"/api/access-requests/{request.Id}/approve", new ApproveAccessRequest())).ReadAsync<AccessRequestDto>();
        Assert.Equal(AccessRequestStatus.Approved, approved.Status);
        Assert.Equal(TestClients.SecondApprover, approved.DecidedBy);
    }

    [Fact]
    public async Task Approve_ByTwoApproversAtOnce_ExactlyOneWins_TheOtherGets409()
    {
        fixture.Require();
        var team = await NewTeamAsync("dev2@demo.bank");
        using var dev = await fixture.ClientAsAsync("dev2@demo.bank");
        var request = await (await dev.PostJsonAsync("/api/access-requests", new CreateAccessRequest(team, "gpt-4o-mini", "Race")))
            .ReadAsync<AccessRequestDto>(HttpStatusCode.Created);

        using var first = await fixture.ClientAsAsync("approver@demo.bank");
        using var second = fixture.Client(await fixture.ClientTokenAsync(TestClients.SecondApprover));
        var responses = await Task.WhenAll(
            first.PostJsonAsync($"/api/access-requests/{request.Id}/approve", new ApproveAccessRequest(ConcurrencyStamp: request.ConcurrencyStamp)),
            second.PostJsonAsync($"/api/access-requests/{request.Id}/approve", new ApproveAccessRequest(ConcurrencyStamp: request.ConcurrencyStamp)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        await responses.Single(r => r.StatusCode != HttpStatusCode.OK).ProblemAsync(HttpStatusCode.Conflict);
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var subscriptions = await (await admin.Get($"/api/subscriptions?teamId={team}")).ReadAsync<PagedResult<SubscriptionDto>>();
        Assert.Equal(1, subscriptions.Total);
    }

    [Fact]
    public async Task Reject_NeedsAReason_AndADecidedRequestCannotBeDecidedAgain()
    {
        fixture.Require();
        var team = await NewTeamAsync("dev2@demo.bank");
        using var dev = await fixture.ClientAsAsync("dev2@demo.bank");
        using var approver = await fixture.ClientAsAsync("approver@demo.bank");
        var request = await (await dev.PostJsonAsync("/api/access-requests", new CreateAccessRequest(team, "gpt-4o", "Please")))
            .ReadAsync<AccessRequestDto>(HttpStatusCode.Created);

        await (await approver.PostJsonAsync($"/api/access-requests/{request.Id}/reject", new { reason = " " })).ValidationErrorAsync("reason");
        var rejected = await (await approver.PostJsonAsync($"/api/access-requests/{request.Id}/reject", new RejectAccessRequest("No business case")))
            .ReadAsync<AccessRequestDto>();
        Assert.Equal(AccessRequestStatus.Rejected, rejected.Status);
        Assert.Equal("No business case", rejected.DecisionReason);

        await (await approver.PostJsonAsync($"/api/access-requests/{request.Id}/approve", new ApproveAccessRequest())).ProblemAsync(HttpStatusCode.Conflict);
        await (await approver.PostJsonAsync($"/api/access-requests/{request.Id}/approve", new ApproveAccessRequest(ConcurrencyStamp: request.ConcurrencyStamp)))
            .ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task BudgetIncrease_GoesThroughTheSameApproval_AndChangesTheSubscription()
    {
        fixture.Require();
        var team = await NewTeamAsync("dev2@demo.bank");
        using var dev = await fixture.ClientAsAsync("dev2@demo.bank");
        using var approver = await fixture.ClientAsAsync("approver@demo.bank");
        var request = await (await dev.PostJsonAsync("/api/access-requests", new CreateAccessRequest(team, "gpt-4o", "Start", Budget: new BudgetSpec(1000))))
            .ReadAsync<AccessRequestDto>(HttpStatusCode.Created);
        var approved = await (await approver.PostJsonAsync($"/api/access-requests/{request.Id}/approve", new ApproveAccessRequest())).ReadAsync<AccessRequestDto>();
        var subscriptionId = approved.ResultSubscriptionId!;

        var increase = await (await dev.PostJsonAsync($"/api/subscriptions/{subscriptionId}/budget-requests",
            new CreateBudgetIncreaseRequest("More traffic", new BudgetSpec(5000, 10m, "USD")))).ReadAsync<AccessRequestDto>(HttpStatusCode.Created);
        Assert.Equal(AccessRequestKind.BudgetIncrease, increase.Kind);
        await (await approver.PostJsonAsync($"/api/access-requests/{increase.Id}/approve", new ApproveAccessRequest())).ReadAsync<AccessRequestDto>();

        var subscription = await (await dev.Get($"/api/subscriptions/{subscriptionId}")).ReadAsync<SubscriptionDto>();
        Assert.Equal(new BudgetSpec(5000, 10m, "USD"), subscription.Budget);
    }

    [Fact]
    public async Task Developer_CannotRequestForATeamTheyAreNotIn()
    {
        fixture.Require();
        using var dev = await fixture.ClientAsAsync("dev2@demo.bank");
        await (await dev.PostJsonAsync("/api/access-requests", new CreateAccessRequest("team-demo", "gpt-4o", "Not mine"))).ProblemAsync(HttpStatusCode.Forbidden);
        await (await dev.PostJsonAsync("/api/access-requests", new CreateAccessRequest("team-nope", "gpt-4o", "Unknown"))).ProblemAsync(HttpStatusCode.NotFound);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class AccessRequestWorkflowTests_Sqlite(SqliteFixture fixture) : AccessRequestWorkflowTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class AccessRequestWorkflowTests_Postgres(PostgresFixture fixture) : AccessRequestWorkflowTests(fixture);
