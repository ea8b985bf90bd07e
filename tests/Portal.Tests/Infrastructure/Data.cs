using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;

namespace Gateway.Portal.Tests.Infrastructure;

/// <summary>API records as the control plane returns them, for the fake.</summary>
internal static class Data
{
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    public static PagedResult<T> Page<T>(params T[] items) => new(items, items.Length, 1, 25);

    public static ModelDto Model(string alias = "gpt-4o-mini", ModelKind kind = ModelKind.Chat) => new(
        alias, kind, $"{alias}-2024-07-18", null, "o200k_base", $"{alias} for tests",
        [
            Version(alias, $"{alias}-2024-07-18", VersionStatus.Ga, 0.15m, 0.60m),
            Version(alias, $"{alias}-2024-05-01", VersionStatus.Deprecated, 0.15m, 0.60m) with
            {
                DeprecatedAt = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero), SunsetAt = new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero),
                Successor = $"{alias}-2024-07-18",
            },
        ]);

    public static ModelVersionDto Version(string alias, string name, VersionStatus status, decimal input, decimal output) => new(
        name, alias, status, new PriceSpec(input, input / 2, output, "USD"), DataClassification.Confidential, null, null, null, 16_384, 128_000,
        [new DeploymentDto($"{name}-primary", "mockllm-azure", name, 1, 0, "westeurope")], "stamp-" + name);

    public static MeDto Me(params (string Id, string Name)[] teams) => new(
        TestUser.DefaultId, "tester@demo.bank", "tester", ["Developer"], [.. teams.Select(t => new MyTeamDto(t.Id, t.Name, "CC-" + t.Id, TeamRole.Member))]);

    public static AccessRequestDto Request(string id, string requestedBy, AccessRequestStatus status = AccessRequestStatus.Pending, string model = "gpt-4o-mini") => new(
        id, AccessRequestKind.Access, "team-risk", model, null, "Use case: Summarisation. Weekly committee pack.",
        null, new BudgetSpec(2_000_000), DataClassification.Internal, null, status, requestedBy, requestedBy + "@demo.bank", Now.AddHours(-2),
        status == AccessRequestStatus.Pending ? null : "user-approver", status == AccessRequestStatus.Pending ? null : "approver@demo.bank",
        status == AccessRequestStatus.Pending ? null : Now.AddHours(-1), status == AccessRequestStatus.Rejected ? "Use the mini model first." : null,
        status == AccessRequestStatus.Approved ? "sub-team-risk-gpt-4o-mini" : null, "stamp-" + id);

    public static ApiKeyDto Key(string keyId, string application, KeyStatus status = KeyStatus.Active, string team = "team-risk") => new(
        keyId, $"sk-gw-{keyId}_…", team, application, Now.AddDays(30), status, true, [], null, Now.AddDays(-1), TestUser.DefaultId,
        status == KeyStatus.Revoked ? Now : null, null, null);

    public static SubscriptionDto Subscription(string alias, long budgetTokens, long usedTokens) => new(
        $"sub-team-risk-{alias}", "team-risk", alias, null, new LimitSpec(60, 100_000, 10), new BudgetSpec(budgetTokens), OverLimitAction.Reject, null,
        Now.AddMonths(6), SubscriptionStatus.Active, Now.AddDays(-10), "user-approver", "req-1", new PeriodUsageSpec("2026-11", usedTokens, 1.25m), "stamp");

    public static StatementDto Statement(string period, bool closed = false) => new(
        period, closed, closed ? Now.AddDays(-20) : null, closed ? "user-finance" : null,
        [
            new StatementCostCentreDto("CC-2002", "USD", 3, 1200, 0, 300, 0.000360m, 0m, 0.000360m,
                [new StatementLineDto("team-risk", "gpt-4o-mini-2024-07-18", 3, 1200, 0, 300, 0.000360m)]),
        ],
        [], [new MoneyTotal("USD", 0.000360m)]);

    /// <summary>A held price change of gpt-4o-mini-2024-07-18 (input 0.15 → 0.2 per million), as the control plane lists it.</summary>
    public static ChangeDto Change(string id, string requestedBy, ChangeStatus status = ChangeStatus.Pending) => new(
        id, "PUT", "/api/models/gpt-4o-mini/versions/gpt-4o-mini-2024-07-18/prices",
        """{"prices":{"inputPerMillion":0.2,"cachedInputPerMillion":0.075,"outputPerMillion":0.6,"currency":"USD"},"concurrencyStamp":"s1"}""",
        "model.version.prices modelVersion 'gpt-4o-mini-2024-07-18'",
        [
            new ChangeEffectDto("model.version.prices", "modelVersion", "gpt-4o-mini-2024-07-18",
                """{"inputPerMillion":0.15,"cachedInputPerMillion":0.075,"outputPerMillion":0.6,"currency":"USD"}""",
                """{"inputPerMillion":0.2,"cachedInputPerMillion":0.075,"outputPerMillion":0.6,"currency":"USD"}"""),
        ],
        status, requestedBy, requestedBy + "@demo.bank", Now.AddMinutes(-30),
        status == ChangeStatus.Pending ? null : "user-admin2", status == ChangeStatus.Pending ? null : "admin2@demo.bank",
        status == ChangeStatus.Pending ? null : Now, null, status == ChangeStatus.Applied ? new ChangeResultDto(200, "{}") : null);
}
