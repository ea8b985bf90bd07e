using System.Diagnostics.Metrics;
using Gateway.Proxy.Counters;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Telemetry;

namespace Gateway.Proxy.Policies.Admission;

/// <summary>Admission decisions by outcome, scope and limit; tokens reserved and released.</summary>
internal sealed class AdmissionMetrics(ProxyTelemetry telemetry)
{
    private readonly Counter<long> _decisions = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.admission.decisions", "{request}", "Admission decisions by outcome (admitted, clamped, denied), and for denials the scope and limit that refused");

    private readonly Counter<long> _reserved = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.tokens.reserved", "{token}", "Tokens reserved before upstream calls (prompt estimate + allowed output)");

    private readonly Counter<long> _released = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.tokens.released", "{token}", "Reserved tokens given back by requests that never reached an upstream");

    public void Reserved(GatewayRequest request, CounterReservation reservation, AdmissionTicket ticket)
    {
        if (!HasTokenCheck(reservation)) return;
        _reserved.Add(ticket.PromptTokens + reservation.Units, new KeyValuePair<string, object?>("gen_ai.response.model", request.Version?.Name));
    }

    public void Admitted(GatewayRequest request, AdmissionTicket ticket) =>
        _decisions.Add(1, new KeyValuePair<string, object?>("gateway.admission.outcome", ticket.Clamped ? "clamped" : "admitted"),
            new KeyValuePair<string, object?>("gen_ai.response.model", request.Version?.Name));

    public void Denied(GatewayRequest request, in CounterCheck denied) =>
        _decisions.Add(1, new KeyValuePair<string, object?>("gateway.admission.outcome", "denied"),
            new KeyValuePair<string, object?>("gateway.admission.scope", AdmissionMiddleware.ScopeName(denied.Scope)),
            new KeyValuePair<string, object?>("gateway.admission.limit", AdmissionMiddleware.KindName(denied.Kind)),
            new KeyValuePair<string, object?>("gen_ai.response.model", request.Version?.Name));

    public void Released(GatewayRequest request, CounterReservation reservation)
    {
        if (!HasTokenCheck(reservation)) return;
        var tokens = 0L;
        for (var i = 0; i < reservation.Count; i++)
        {
            if (reservation.Checks[i].Kind is CounterKind.Tokens or CounterKind.BudgetTokens)
            {
                tokens = reservation.Reserved(i);
                break;
            }
        }
        _released.Add(tokens, new KeyValuePair<string, object?>("gen_ai.response.model", request.Version?.Name));
    }

    private static bool HasTokenCheck(CounterReservation reservation)
    {
        for (var i = 0; i < reservation.Count; i++)
        {
            if (reservation.Checks[i].Kind is CounterKind.Tokens or CounterKind.BudgetTokens) return true;
        }
        return false;
    }
}
