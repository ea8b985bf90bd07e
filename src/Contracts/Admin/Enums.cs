using System.Text.Json.Serialization;

namespace Gateway.Contracts.Admin;

/// <summary>A member's role in a team.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TeamRole>))]
public enum TeamRole
{
    [JsonStringEnumMemberName("member")] Member,
    [JsonStringEnumMemberName("owner")] Owner,
}

/// <summary>What an access request asks for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AccessRequestKind>))]
public enum AccessRequestKind
{
    /// <summary>A new subscription to a model alias.</summary>
    [JsonStringEnumMemberName("access")] Access,

    /// <summary>More budget (or other limits) on an existing subscription.</summary>
    [JsonStringEnumMemberName("budgetIncrease")] BudgetIncrease,
}

[JsonConverter(typeof(JsonStringEnumConverter<AccessRequestStatus>))]
public enum AccessRequestStatus
{
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("approved")] Approved,
    [JsonStringEnumMemberName("rejected")] Rejected,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}

[JsonConverter(typeof(JsonStringEnumConverter<SubscriptionStatus>))]
public enum SubscriptionStatus
{
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("ended")] Ended,
}

/// <summary>How usage is grouped by <c>GET /api/usage/summary</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UsageGrouping>))]
public enum UsageGrouping
{
    [JsonStringEnumMemberName("team")] Team,
    [JsonStringEnumMemberName("costCentre")] CostCentre,
    [JsonStringEnumMemberName("modelVersion")] ModelVersion,
    [JsonStringEnumMemberName("subscription")] Subscription,
    [JsonStringEnumMemberName("day")] Day,
    [JsonStringEnumMemberName("month")] Month,
}
