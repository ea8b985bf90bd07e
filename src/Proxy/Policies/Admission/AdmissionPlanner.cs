using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Counters;
using Gateway.Proxy.Pipeline;

namespace Gateway.Proxy.Policies.Admission;

/// <summary>
/// Turns a resolved request into its reservation: requests/min, tokens/min and concurrency at
/// key, subscription and team scope, and the subscription's monthly token and money budget.
/// Tokens reserved = the prompt (counted) + the output the request may produce: its
/// <c>max_tokens</c> (<c>max_completion_tokens</c>, <c>max_output_tokens</c>) capped by the
/// subscription's and the version's output caps, else the tightest cap, else
/// <see cref="DefaultOutputTokens"/>. Output tokens are the flexible units: in clamp mode the
/// counters may grant fewer (at least one).
/// </summary>
internal static class AdmissionPlanner
{
    /// <summary>The output reservation when neither the request, the subscription nor the version names a cap.</summary>
    public const long DefaultOutputTokens = 4096;

    /// <summary>
    /// The most output tokens a request is counted for, whatever its <c>max_tokens</c> says (2⁵³,
    /// far beyond any model's output): the Redis counters' scripts compute in doubles, exact up to
    /// here, and a reservation beyond it would come back from them as a wrong whole number.
    /// </summary>
    public const long MaxCountedOutputTokens = 1L << 53;

    private const int MaxChecks = 11;

    public static AdmissionTicket Plan(GatewayRequest request, DateTimeOffset now)
    {
        var model = request.Model!;
        var version = request.Version!;
        var subscription = request.Subscription!;
        var ticket = new AdmissionTicket(request, Tokenizers.For(model.Spec.Tokenizer));
        var operation = request.Operation;
        var consumesTokens = operation != GatewayOperation.Inference;
        var output = OutputTokens(request, operation);
        ticket.OutputTokens = output;

        CounterCheck[]? checks = null;
        var count = 0;
        Add(ref checks, ref count, ticket, CounterScope.Key, request.Key!.KeyId, request.Key.Limits, consumesTokens);
        Add(ref checks, ref count, ticket, CounterScope.Subscription, subscription.Id, subscription.Spec.Limits, consumesTokens);
        Add(ref checks, ref count, ticket, CounterScope.Team, subscription.Team.Id, subscription.Team.Spec.Limits, consumesTokens);
        if (consumesTokens && subscription.Spec.Budget is { } budget) AddBudget(ref checks, ref count, ticket, subscription, budget, version.Spec.Prices, now);
        if (count == 0) return ticket;

        var min = subscription.Spec.OverLimit == OverLimitAction.Clamp ? Math.Min(1, output) : output;
        ticket.Reservation = new CounterReservation(request.RequestId, checks!, count, min, output);
        return ticket;
    }

    /// <summary>The output tokens a request may produce (0 for embeddings and inference).</summary>
    public static long OutputTokens(GatewayRequest request, GatewayOperation operation)
    {
        if (operation is GatewayOperation.Embeddings or GatewayOperation.Inference or GatewayOperation.Models) return 0;
        var cap = Cap(request);
        if (operation != GatewayOperation.Realtime && request.BodyInfo.MaxTokens is { } requested)
            return Math.Clamp(cap is { } c ? Math.Min(requested, c) : requested, 0, MaxCountedOutputTokens);
        return cap ?? DefaultOutputTokens;
    }

    /// <summary>The tighter of the subscription's and the version's output caps, if any.</summary>
    public static long? Cap(GatewayRequest request)
    {
        long? subscriptionCap = request.Subscription?.Spec.MaxOutputTokens;
        long? versionCap = request.Version?.Spec.MaxOutputTokens;
        if (subscriptionCap is { } s && versionCap is { } v) return Math.Min(s, v);
        return subscriptionCap ?? versionCap;
    }

    private static void Add(ref CounterCheck[]? checks, ref int count, AdmissionTicket ticket, CounterScope scope, string id, LimitSpec? limits, bool consumesTokens)
    {
        if (limits is null) return;
        var keys = CounterKeys.For(scope, id);
        if (limits.RequestsPerMinute is { } rpm)
            Put(ref checks, ref count, new CounterCheck(keys.Requests, CounterKind.Requests, scope, CounterWindow.Minute, rpm, 1, 0));
        if (consumesTokens && limits.TokensPerMinute is { } tpm)
            Put(ref checks, ref count, new CounterCheck(keys.Tokens, CounterKind.Tokens, scope, CounterWindow.Minute, tpm, ticket.PromptTokens, 1));
        if (limits.MaxConcurrent is { } concurrent)
            Put(ref checks, ref count, new CounterCheck(keys.Concurrency, CounterKind.Concurrency, scope, CounterWindow.None, concurrent, 1, 0));
    }

    /// <summary>
    /// The monthly budget: its limit less what the snapshot says is already settled this period
    /// (<c>SubscriptionSpec.Usage</c>); the counter holds what this proxy added since
    /// (<see cref="BudgetBaselines"/> takes out what a newer snapshot's figure already includes).
    /// Money: prompt × input price + output × output price, in nano-units, rounded up; only when
    /// the budget's currency is the version's (or unnamed).
    /// </summary>
    private static void AddBudget(ref CounterCheck[]? checks, ref int count, AdmissionTicket ticket, Snapshots.CompiledSubscription subscription, BudgetSpec budget, PriceSpec prices, DateTimeOffset now)
    {
        var settled = subscription.Spec.Usage is { } usage && usage.Period == CounterWindows.Period(now) ? usage : null;
        var keys = CounterKeys.For(CounterScope.Subscription, subscription.Id);
        if (budget.MonthlyTokens is { } tokens)
        {
            Put(ref checks, ref count, new CounterCheck(keys.BudgetTokens, CounterKind.BudgetTokens, CounterScope.Subscription, CounterWindow.Month,
                tokens - (settled?.Tokens ?? 0), ticket.PromptTokens, 1));
        }
        if (budget.MonthlyAmount is { } amount && (budget.Currency is null || string.Equals(budget.Currency, prices.Currency, StringComparison.OrdinalIgnoreCase)))
        {
            var left = amount - (settled?.Amount ?? 0m);
            var limit = left <= 0 ? -1 : Money.ToUnits(left);
            var fixedUnits = Money.ToUnitsCeiling(ticket.PromptTokens * prices.InputPerMillion / 1_000_000m);
            var perToken = Money.ToUnitsCeiling(prices.OutputPerMillion / 1_000_000m);
            Put(ref checks, ref count, new CounterCheck(keys.BudgetMoney, CounterKind.BudgetMoney, CounterScope.Subscription, CounterWindow.Month, limit, fixedUnits, perToken));
        }
    }

    private static void Put(ref CounterCheck[]? checks, ref int count, in CounterCheck check)
    {
        checks ??= new CounterCheck[MaxChecks];
        checks[count++] = check;
    }
}
