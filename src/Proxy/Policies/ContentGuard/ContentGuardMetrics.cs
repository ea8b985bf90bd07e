using System.Diagnostics.Metrics;
using Gateway.Contracts.ContentGuard;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Telemetry;

namespace Gateway.Proxy.Policies.ContentGuard;

/// <summary>Content guard findings by kind, version and action.</summary>
internal sealed class ContentGuardMetrics(ProxyTelemetry telemetry)
{
    private readonly Counter<long> _findings = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.content_guard.findings", "{finding}", "What the content guards found in requests, by kind, model version and action");

    public void Found(GuardFindings findings, string version, GuardAction action)
    {
        var actionName = action == GuardAction.Block ? "block" : "redact";
        for (var k = 0; k < CompiledGuard.Kinds; k++)
        {
            if (findings.Counts[k] == 0) continue;
            _findings.Add(findings.Counts[k],
                new KeyValuePair<string, object?>("gateway.finding", CompiledGuard.NameOf((FindingKind)k)),
                new KeyValuePair<string, object?>("gateway.model_version", version),
                new KeyValuePair<string, object?>("gateway.guard.action", actionName));
        }
    }
}
