using Gateway.Proxy.Relay;
using Gateway.Proxy.Snapshots;

namespace Gateway.Proxy.Pipeline;

/// <summary>
/// Everything the pipeline learns about one request, in one feature object on
/// <c>HttpContext.Features</c> (<see cref="GatewayRequestExtensions.GetGatewayRequest"/>). Each
/// policy fills in its part; later policies (admission, metering) read it.
/// </summary>
internal sealed partial class GatewayRequest(string requestId, long startTimestamp, DateTimeOffset arrivedAt)
{
    private IRelayObserver[]? _observers;

    /// <summary>The caller's sane <c>x-request-id</c>, or a new one; forwarded upstream.</summary>
    public string RequestId { get; } = requestId;

    /// <summary><see cref="TimeProvider.GetTimestamp"/> at arrival.</summary>
    public long StartTimestamp { get; } = startTimestamp;

    public DateTimeOffset ArrivedAt { get; } = arrivedAt;

    /// <summary>The route's operation and client format (null outside gateway routes).</summary>
    public GatewayRoute? Route { get; set; }

    public GatewayOperation Operation => Route?.Operation ?? GatewayOperation.Models;

    public ClientFormat ClientFormat => Route?.Format ?? ClientFormat.OpenAI;

    /// <summary>The snapshot read once at the start: the whole request sees one consistent world.</summary>
    public CompiledSnapshot? Snapshot { get; set; }

    // --- Authentication -------------------------------------------------------------------

    public CompiledKey? Key { get; set; }

    public CompiledTeam? Team => Key?.Team;

    // --- Request body -------------------------------------------------------------------

    /// <summary>The buffered request body (bounded by the body limit; kept for translation and retries).</summary>
    public ReadOnlyMemory<byte> Body { get; private set; }

    /// <summary>What the body inspection found (model position, stream flags, max tokens).</summary>
    public RequestBodyInfo BodyInfo { get; private set; }

    /// <summary>Replaces the body (e.g. admission clamping <c>max_tokens</c>) and its inspection results.</summary>
    public void SetBody(ReadOnlyMemory<byte> body, in RequestBodyInfo info)
    {
        Body = body;
        BodyInfo = info;
    }

    /// <summary>True when the client asked for a stream (<c>"stream": true</c>, or a WebSocket).</summary>
    public bool Streamed => BodyInfo.Stream || Operation == GatewayOperation.Realtime;

    // --- Model resolution ---------------------------------------------------------------

    /// <summary>What the client put in <c>model</c> (or the path): an alias or an exact version name.</summary>
    public string? RequestedModel { get; set; }

    public CompiledModel? Model { get; set; }

    public CompiledVersion? Version { get; set; }

    public CompiledSubscription? Subscription { get; set; }

    public VersionSelection Selection { get; set; }

    // --- Routing ------------------------------------------------------------------------

    /// <summary>The deployment being (or last) tried.</summary>
    public CompiledDeployment? Deployment { get; set; }

    /// <summary>Upstream attempts made so far.</summary>
    public int Attempts { get; set; }

    /// <summary>Bit i set: the version's deployment i was tried (fail-over never repeats one).</summary>
    public ulong TriedDeployments { get; set; }

    // --- Relay results (read by metering) ------------------------------------------------

    /// <summary>The latest usage the provider reported, if any.</summary>
    public TokenUsage? Usage { get; private set; }

    /// <summary>Timestamp of the first response byte written to the client (time to first token).</summary>
    public long? FirstByteTimestamp { get; set; }

    /// <summary>How the exchange ended.</summary>
    public RelayOutcome Outcome { get; private set; }

    /// <summary>
    /// True when the forwarder relayed the whole answer (the provider's, or its error answer) and
    /// nothing more will be written: metering may end the response before the pipeline returns.
    /// </summary>
    public bool ResponseRelayed { get; set; }

    /// <summary>The gateway error code answered, or null.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>What the content guard redacted (<c>payment-card=1, pattern=2</c>), sent back in <c>x-gateway-redacted</c>; null when nothing.</summary>
    public string? Redactions { get; set; }

    /// <summary>Adds an observer of the relay (usage, text, end).</summary>
    public void AddObserver(IRelayObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers = _observers is null ? [observer] : [.. _observers, observer];
    }

    /// <summary>True once the provider reported usage that cannot be true (not taken: metering estimates, and says so).</summary>
    public bool ImplausibleUsage { get; private set; }

    internal void ReportImplausibleUsage() => ImplausibleUsage = true;

    /// <summary>True when some observer wants the relayed text (the relay only extracts it then).</summary>
    public bool WantsText => _observers is not null;

    internal void ReportUsage(in TokenUsage usage)
    {
        Usage = usage;
        if (_observers is null) return;
        foreach (var o in _observers) o.OnUsage(usage);
    }

    internal void ReportText(ReadOnlySpan<char> text)
    {
        if (_observers is null || text.IsEmpty) return;
        foreach (var o in _observers) o.OnText(text);
    }

    /// <summary>Records the end of the exchange once; later calls are ignored.</summary>
    internal void Complete(RelayOutcome outcome)
    {
        if (Outcome != RelayOutcome.None) return;
        Outcome = outcome;
        if (_observers is null) return;
        foreach (var o in _observers) o.OnCompleted(outcome);
    }
}

/// <summary>How the version was chosen.</summary>
internal enum VersionSelection
{
    Default,
    Pinned,
    Canary,
    Explicit,
}

internal static class GatewayRequestExtensions
{
    /// <summary>The request's gateway state (set by the request-id middleware at the start of every request).</summary>
    public static GatewayRequest GetGatewayRequest(this HttpContext context) =>
        context.Features.Get<GatewayRequest>() ?? throw new InvalidOperationException("The gateway request feature is missing: UseGatewayRequestId() must run first.");
}
