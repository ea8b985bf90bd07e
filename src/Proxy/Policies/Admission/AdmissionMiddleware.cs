using System.Globalization;
using Gateway.Contracts.Errors;
using Gateway.Proxy.Counters;
using Gateway.Proxy.Pipeline;

namespace Gateway.Proxy.Policies.Admission;

/// <summary>
/// Policy 3: reserves the request's tokens (prompt + allowed output), its request and its
/// concurrency slot on every applicable limit and budget, before the call. Refused → 429
/// (<c>rate_limit_exceeded</c>, or <c>insufficient_quota</c> for a spent budget) with
/// <c>Retry-After</c> and the rate-limit headers; in clamp mode the body's output limit is
/// lowered to what is left. Admitted requests carry the rate-limit headers too. A reservation
/// that metering did not settle (the request never reached an upstream) is released.
/// </summary>
internal sealed class AdmissionMiddleware(RequestDelegate next, IAdmissionCounters counters, AdmissionMetrics metrics, AdmissionLog log, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        var now = time.GetUtcNow();
        var ticket = AdmissionPlanner.Plan(request, now);
        context.Features.Set(ticket);
        var reservation = ticket.Reservation;
        if (reservation is not null)
        {
            try
            {
                await counters.ReserveAsync(reservation, context.RequestAborted);
            }
            catch (CountersUnavailableException ex)
            {
                // The shared counters are unreachable and this limit's policy is fail-closed.
                context.Response.Headers[GatewayHeaders.RetryAfter] = "1";
                await GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.GatewayUnavailable, ex.Message);
                return;
            }
            if (!reservation.Admitted)
            {
                await RejectAsync(context, request, reservation, now);
                return;
            }
            metrics.Reserved(request, reservation, ticket);
        }

        var granted = reservation?.Units ?? ticket.OutputTokens;
        ticket.Clamped = granted < ticket.OutputTokens;
        if (NeedsBodyLimit(request, ticket, granted)) SetBodyLimit(request, granted);
        ticket.OutputTokens = granted;
        metrics.Admitted(request, ticket);
        if (ticket.Clamped) log.Clamped(request.RequestId, request.Subscription!.Id, granted);

        context.Response.OnStarting(static state =>
        {
            var (ctx, t, clock) = ((HttpContext, AdmissionTicket, TimeProvider))state;
            RateLimitHeaders.Apply(ctx.Response.Headers, t.Reservation, clock.GetUtcNow());
            return Task.CompletedTask;
        }, (context, ticket, time));

        try
        {
            await next(context);
        }
        finally
        {
            if (reservation is { Finished: false })
            {
                await counters.ReleaseAsync(reservation, CancellationToken.None);
                metrics.Released(request, reservation);
            }
        }
    }

    /// <summary>The body gets an explicit output limit when clamped, or when the subscription caps output below what the request asked (or asked nothing).</summary>
    private static bool NeedsBodyLimit(GatewayRequest request, AdmissionTicket ticket, long granted)
    {
        if (request.Operation is not (GatewayOperation.ChatCompletions or GatewayOperation.Completions or GatewayOperation.Responses or GatewayOperation.Messages)) return false;
        if (ticket.Clamped) return true;
        if (request.Subscription!.Spec.MaxOutputTokens is not { } cap) return false;
        return request.BodyInfo.MaxTokens is not { } asked || asked > cap;
    }

    private static void SetBodyLimit(GatewayRequest request, long value)
    {
        var body = request.Body.Span;
        if (body.StartsWith("\xEF\xBB\xBF"u8)) body = body[3..];
        var rewritten = MaxTokensRewriter.Rewrite(body, request.Operation, value);
        if (RequestBodyInspector.TryInspect(rewritten, out var info, out _)) request.SetBody(rewritten, info);
    }

    private async Task RejectAsync(HttpContext context, GatewayRequest request, CounterReservation reservation, DateTimeOffset now)
    {
        ref readonly var denied = ref reservation.Denied;
        var budget = denied.Kind is CounterKind.BudgetTokens or CounterKind.BudgetMoney;
        var retryAfter = RateLimitHeaders.RetryAfterSeconds(reservation, now);
        metrics.Denied(request, denied);
        log.Denied(request.RequestId, ScopeName(denied.Scope), KindName(denied.Kind), denied.Limit);
        var headers = context.Response.Headers;
        RateLimitHeaders.Apply(headers, reservation, now);
        headers[GatewayHeaders.RetryAfter] = retryAfter.ToString(CultureInfo.InvariantCulture);
        var code = budget ? GatewayErrorCodes.InsufficientQuota : GatewayErrorCodes.RateLimitExceeded;
        await GatewayErrorWriter.WriteAsync(context, code, Message(request, reservation, retryAfter));
    }

    private static string Message(GatewayRequest request, CounterReservation reservation, long retryAfter)
    {
        ref readonly var denied = ref reservation.Denied;
        var scope = denied.Scope switch
        {
            CounterScope.Key => $"key {request.Key!.KeyId}",
            CounterScope.Subscription => $"subscription {request.Subscription!.Id}",
            _ => $"team {request.Team!.Id}",
        };
        var used = denied.Limit - reservation.Remaining[reservation.DeniedIndex];
        var needed = denied.AmountFor(reservation.MinUnits);
        return denied.Kind switch
        {
            CounterKind.Requests => $"Rate limit reached for requests per minute on {scope}: limit {denied.Limit}, used {used}. Retry after {retryAfter} s.",
            CounterKind.Tokens => $"Rate limit reached for tokens per minute on {scope}: limit {denied.Limit}, used {used}, requested {needed} (prompt and max output tokens). Lower max_tokens or retry after {retryAfter} s.",
            CounterKind.Concurrency => $"Too many concurrent requests on {scope}: limit {denied.Limit}. Retry when one finishes.",
            CounterKind.BudgetTokens => $"The monthly token budget of {scope} is exhausted for this request: {Math.Max(0, denied.Limit - used)} tokens left, {needed} needed. It renews at the start of next month (UTC).",
            _ => $"The monthly spending budget of {scope} is exhausted for this request: {Money.FromUnits(Math.Max(0, denied.Limit - used)).ToString("0.######", CultureInfo.InvariantCulture)} left, {Money.FromUnits(needed).ToString("0.######", CultureInfo.InvariantCulture)} needed. It renews at the start of next month (UTC).",
        };
    }

    internal static string ScopeName(CounterScope scope) => scope switch
    {
        CounterScope.Key => "key",
        CounterScope.Subscription => "subscription",
        _ => "team",
    };

    internal static string KindName(CounterKind kind) => kind switch
    {
        CounterKind.Requests => "requests",
        CounterKind.Tokens => "tokens",
        CounterKind.Concurrency => "concurrency",
        CounterKind.BudgetTokens => "budget_tokens",
        _ => "budget_money",
    };
}
