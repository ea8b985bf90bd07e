using Gateway.Contracts.ContentGuard;
using Gateway.Contracts.Errors;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Pipeline;

namespace Gateway.Proxy.Policies.ContentGuard;

/// <summary>
/// Policy 3: the version's content guard, before anything is reserved or sent. Block answers 400
/// <c>content_policy_violation</c> naming where and what was found (never the text itself); redact
/// replaces each finding with <c>[REDACTED:kind]</c> and the request goes on with the new body, so
/// that the token estimate, the provider and the ledger all see the redacted prompt. A version
/// without a guard costs one null check.
/// </summary>
internal sealed class ContentGuardMiddleware(RequestDelegate next, ContentGuardLog log, ContentGuardMetrics metrics)
{
    private const string InferenceHeaderLength = "Inference-Header-Content-Length";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        if (request.Version?.Guard is not { } guard || request.BodyInfo.JsonLength == 0) return next(context);
        return Screen(context, request, guard);
    }

    private Task Screen(HttpContext context, GatewayRequest request, CompiledGuard guard)
    {
        var body = request.Body;
        var json = body[..request.BodyInfo.JsonLength];
        if (json.Span.StartsWith("\xEF\xBB\xBF"u8)) json = json[3..];
        var redact = guard.Action == GuardAction.Redact;
        if (ContentScanner.Scan(json.Span, guard, redact) is not { } findings) return next(context);

        var version = request.Version!.Name;
        var key = request.Key!;
        metrics.Found(findings, version, guard.Action);
        if (!redact)
        {
            var path = ContentScanner.PathAt(json.Span, findings.FirstTokenStart);
            log.Blocked(request.RequestId, version, key.KeyId, key.Team.Id, findings.Summary(), path);
            return GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.ContentPolicyViolation, BlockedMessage(findings, version, path), path);
        }

        var redacted = findings.Redacted!;
        var tail = body[request.BodyInfo.JsonLength..];
        if (!RequestBodyInspector.TryInspect(redacted, out var info, out _))
        {
            // Replacing string values keeps the document valid; if it ever did not, nothing unscreened may leave.
            log.RedactionFailed(request.RequestId, version);
            return GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.InternalError,
                $"The gateway could not screen the request (request id {request.RequestId}).", outcome: Relay.RelayOutcome.UpstreamError);
        }
        if (tail.IsEmpty)
        {
            request.SetBody(redacted, info);
        }
        else
        {
            // KServe's binary extension: the tensors follow the JSON, whose length the header gives.
            request.SetBody((byte[])[.. redacted, .. tail.Span], info with { JsonLength = redacted.Length });
            context.Request.Headers[InferenceHeaderLength] = redacted.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        request.Redactions = findings.HeaderValue();
        log.Redacted(request.RequestId, version, key.KeyId, key.Team.Id, findings.Summary());
        return next(context);
    }

    private static string BlockedMessage(GuardFindings findings, string version, string path)
    {
        var found = Enumerable.Range(0, CompiledGuard.Kinds).Where(k => findings.Counts[k] > 0).Select(k => CompiledGuard.Describe((FindingKind)k)).ToList();
        var what = found.Count == 1 ? found[0] : string.Join(", ", found[..^1]) + " and " + found[^1];
        var refusal = $"which the model version '{version}' may not receive: the request was not sent.";
        if (findings.Total == 1)
            return $"{(path.Length == 0 ? "The request" : $"'{path}'")} holds {what}, {refusal} Remove it and try again.";
        var first = path.Length == 0 ? "" : $", the first in '{path}'";
        return $"The request holds {what} ({findings.Total} findings{first}), {refusal} Remove them and try again.";
    }
}
