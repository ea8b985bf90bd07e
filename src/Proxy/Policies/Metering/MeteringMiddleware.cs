using Gateway.Contracts.Usage;
using Gateway.Proxy.Counters;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Policies.Admission;
using Gateway.Proxy.Relay;
using Gateway.Proxy.Usage;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Policies.Metering;

/// <summary>
/// Policy 6: wraps the upstream call, watches the relay, and at the end writes exactly one
/// <see cref="UsageRecord"/> for every request that reached an upstream, then settles the
/// reservation to the same figures. Usage is the provider's when it reported it and the answer
/// completed; a stream the client abandoned or the upstream dropped (or an answer without usage)
/// is estimated: the provider's prompt figure if it came (Anthropic's <c>message_start</c>), else
/// the prompt counted at admission, and the relayed text counted with the model's tokenizer,
/// flagged <c>Estimated</c>. An error answer (4xx/5xx) records the provider's usage if any, else 0.
/// </summary>
internal sealed partial class MeteringMiddleware(
    RequestDelegate next,
    IAdmissionCounters counters,
    UsageSpool spool,
    BudgetBaselines budgets,
    MeteringMetrics metrics,
    IOptions<ProxyOptions> options,
    TimeProvider time,
    ILogger<MeteringMiddleware> logger)
{
    private readonly string _node = options.Value.NodeId;
    private int _inFlight; // metered requests in this middleware now (one instance per pipeline)

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        var ticket = context.GetAdmissionTicket() ?? new AdmissionTicket(request, Admission.Tokenizers.For(request.Model?.Spec.Tokenizer));
        using var meter = new RequestMeter(request.Operation == GatewayOperation.Realtime) { Tokenizer = ticket.Tokenizer };
        request.AddObserver(meter);
        var faulted = false;
        Interlocked.Increment(ref _inFlight);
        try
        {
            await next(context);
        }
        catch
        {
            faulted = true;
            throw;
        }
        finally
        {
            try
            {
                await SettleAsync(context, request, ticket, meter, faulted);
            }
            catch (Exception ex)
            {
                LogSettleFailed(ex, request.RequestId);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private async Task SettleAsync(HttpContext context, GatewayRequest request, AdmissionTicket ticket, RequestMeter meter, bool faulted)
    {
        var aborted = context.RequestAborted.IsCancellationRequested;
        var outcome = request.Outcome;
        if (outcome == RelayOutcome.None)
            outcome = faulted ? RelayOutcome.UpstreamError : aborted ? RelayOutcome.ClientAborted : RelayOutcome.Completed;
        if (request.Attempts == 0 || outcome == RelayOutcome.Rejected || request.Version is null) return; // never reached an upstream: admission releases

        var status = faulted ? StatusCodes.Status500InternalServerError
            : !context.Response.HasStarted && aborted ? 499
            : context.Response.StatusCode;
        var usage = Measure(request, ticket, meter, outcome, status, out var estimated);
        var prices = request.Version.Spec.Prices;
        var cost = UsageCost.Of(prices, usage.InputTokens, usage.CachedInputTokens, usage.OutputTokens);
        var record = new UsageRecord
        {
            RequestId = request.RequestId,
            Timestamp = request.ArrivedAt,
            ProxyNode = _node,
            KeyId = request.Key!.KeyId,
            TeamId = request.Team!.Id,
            SubscriptionId = request.Subscription?.Id,
            ModelAlias = request.RequestedModel ?? request.Model!.Alias,
            ModelVersion = request.Version.Name,
            DeploymentId = request.Deployment?.Id,
            ProviderId = request.Deployment?.Provider.Id,
            Operation = request.Operation.UsageName(),
            Streamed = request.Streamed,
            InputTokens = usage.InputTokens,
            CachedInputTokens = usage.CachedInputTokens,
            OutputTokens = usage.OutputTokens,
            Cost = cost,
            Currency = prices.Currency,
            LatencyMs = time.GetElapsedTime(request.StartTimestamp).TotalMilliseconds,
            TimeToFirstTokenMs = request.FirstByteTimestamp is { } first ? time.GetElapsedTime(request.StartTimestamp, first).TotalMilliseconds : null,
            Status = status,
            Estimated = estimated,
            Outcome = OutcomeName(outcome),
        };
        var reservation = ticket.Reservation is { Admitted: true, Finished: false } admitted ? admitted : null;
        if (reservation is not null)
        {
            var moneyUnits = Money.ToUnits(cost);
            for (var i = 0; i < reservation.Count; i++)
            {
                reservation.Actual[i] = reservation.Checks[i].Kind switch
                {
                    CounterKind.Tokens or CounterKind.BudgetTokens => usage.TotalTokens,
                    CounterKind.BudgetMoney => moneyUnits,
                    _ => 0,
                };
            }
            // Before the client has the end of its answer: a caller that waits for each answer
            // never finds its own concurrency slot or token reservation still held.
            await counters.SettleAsync(reservation, CancellationToken.None);
        }

        var alone = Volatile.Read(ref _inFlight) == 1;
        if (!faulted && request.ResponseRelayed) await EndResponseAsync(context, alone);
        spool.Submit(record, alone);
        metrics.Recorded(record);
        if (request.ImplausibleUsage)
        {
            metrics.Implausible(record.ProviderId);
            LogImplausibleUsage(request.RequestId, record.ProviderId, estimated);
        }
        if (reservation is not null && request.Subscription is { } subscription) budgets.Settled(record, subscription.Id, reservation);
    }

    /// <summary>
    /// Ends a response the forwarder relayed whole (HTTP/1.1's last chunk, HTTP/2's end of stream,
    /// the trailers YARP copied) once the reservation is settled, rather than when the pipeline
    /// returns: the usage record, the metrics and the rest of the pipeline then run after the
    /// client has its answer instead of holding back its last chunk.
    /// </summary>
    private static async Task EndResponseAsync(HttpContext context, bool alone)
    {
        if (!context.Response.HasStarted || context.RequestAborted.IsCancellationRequested) return;
        try
        {
            await context.Response.CompleteAsync();
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away, or the server refuses to end the response early (a Content-Length
            // the body did not meet): the server ends or aborts it when the pipeline returns, as before.
            return;
        }
        // Alone in flight (c=1) the server's send is queued behind this thread: yield so that it goes
        // out before the rest runs on the same core. Under load another request is in flight, and
        // the yield would cost a thread-pool wake-up per request.
        if (alone) await Task.Yield();
    }

    private static TokenUsage Measure(GatewayRequest request, AdmissionTicket ticket, RequestMeter meter, RelayOutcome outcome, int status, out bool estimated)
    {
        estimated = false;
        var reported = meter.Usage;
        if (request.Operation == GatewayOperation.Inference) return reported ?? default;
        if (request.Operation == GatewayOperation.Realtime)
        {
            // Usage arrives per finished response; text after the last report belongs to an unfinished one.
            var sum = reported ?? default;
            if (!meter.HasText) return sum;
            estimated = true;
            return sum with { OutputTokens = sum.OutputTokens + meter.CountText(ticket.Tokenizer) };
        }
        if (reported is { } exact && outcome == RelayOutcome.Completed) return exact;
        if (status >= 400 && outcome is RelayOutcome.Completed or RelayOutcome.UpstreamError) return reported ?? default;
        estimated = true;
        var input = reported?.InputTokens ?? ticket.PromptTokens;
        return new TokenUsage(input, reported?.CachedInputTokens ?? 0, meter.CountText(ticket.Tokenizer));
    }

    private static string OutcomeName(RelayOutcome outcome) => outcome switch
    {
        RelayOutcome.ClientAborted => UsageOutcomes.ClientAborted,
        RelayOutcome.UpstreamDropped => UsageOutcomes.UpstreamDropped,
        RelayOutcome.UpstreamError => UsageOutcomes.UpstreamError,
        _ => UsageOutcomes.Completed,
    };

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "Request {RequestId}: provider {ProviderId} reported usage that cannot be true (a negative or huge count, or a cached part over the input); not taken (record estimated: {Estimated})")]
    private partial void LogImplausibleUsage(string requestId, string? providerId, bool estimated);

    [LoggerMessage(EventId = 8001, Level = LogLevel.Error, Message = "Request {RequestId}: metering failed")]
    private partial void LogSettleFailed(Exception exception, string requestId);
}
