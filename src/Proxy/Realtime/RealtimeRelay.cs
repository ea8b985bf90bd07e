using System.Buffers;
using System.Net.WebSockets;
using Gateway.Contracts.Errors;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Forwarding;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Policies.Routing;
using Gateway.Proxy.Relay;
using Gateway.Proxy.Snapshots;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Realtime;

/// <summary>
/// <c>/v1/realtime</c>: the proxy terminates the client's WebSocket, opens one to the chosen
/// deployment (failing over while the client is not yet accepted), and relays messages both ways.
/// Server events are read on the way through: <c>response.done</c> usage (summed over the
/// session) and text deltas go to the request's observers.
/// </summary>
internal sealed partial class RealtimeRelay(UpstreamInvoker invoker, IOptions<ProxyOptions> options, RoutingLog log, TimeProvider time, ILogger<RealtimeRelay> logger)
{
    private const int BufferSize = 16 * 1024;
    private const int MaxObservedMessage = 1024 * 1024;
    private readonly int _maxAttempts = options.Value.Routing.MaxAttempts;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.InvalidRequest, "/v1/realtime is a WebSocket endpoint: send an Upgrade: websocket request.");
            return;
        }

        using var upstream = await ConnectAsync(context, request);
        if (upstream is null) return;

        using var client = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = ChooseSubProtocol(context) });
        request.FirstByteTimestamp = time.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var toUpstream = PumpAsync(client, upstream, null, stop.Token);
        var toClient = PumpAsync(upstream, client, request, stop.Token);
        var first = await Task.WhenAny(toUpstream, toClient);
        var clientEnded = first == toUpstream;
        var clean = first.IsCompletedSuccessfully && first.Result;
        // Give the other direction a moment to pass the close on, then stop it.
        await Task.WhenAny(clientEnded ? toClient : toUpstream, Task.Delay(TimeSpan.FromSeconds(2), time, CancellationToken.None));
        await stop.CancelAsync();
        await ((Task)Task.WhenAll(toUpstream, toClient)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        request.Complete(clientEnded
            ? (clean ? RelayOutcome.Completed : RelayOutcome.ClientAborted)
            : (clean ? RelayOutcome.Completed : RelayOutcome.UpstreamDropped));
    }

    private async Task<ClientWebSocket?> ConnectAsync(HttpContext context, GatewayRequest request)
    {
        while (true)
        {
            var deployment = request.Deployment!;
            request.Attempts++;
            var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            socket.Options.HttpVersion = System.Net.HttpVersion.Version11;
            socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
            var credential = deployment.Provider.Credential;
            if (credential.Secret is not null)
            {
                if (deployment.Provider.Kind == ProviderKind.AzureOpenAI) socket.Options.SetRequestHeader(GatewayHeaders.ApiKey, credential.Secret);
                else socket.Options.SetRequestHeader("Authorization", credential.BearerHeader);
            }
            socket.Options.SetRequestHeader(GatewayHeaders.RequestId, request.RequestId);
            if (context.Request.Headers["OpenAI-Beta"] is { Count: > 0 } beta) socket.Options.SetRequestHeader("OpenAI-Beta", beta.ToString());
            foreach (var protocol in context.WebSockets.WebSocketRequestedProtocols)
            {
                if (protocol.StartsWith("openai-beta.", StringComparison.Ordinal) || protocol == "realtime") socket.Options.AddSubProtocol(protocol);
            }

            string? failure;
            int status;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
            {
                timeout.CancelAfter(deployment.Provider.ConnectTimeout + deployment.Provider.FirstByteTimeout);
                try
                {
                    await socket.ConnectAsync(UpstreamUri(deployment, context), invoker.Invoker, timeout.Token);
                    deployment.Health.ReportSuccess();
                    return socket;
                }
                catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException && !context.RequestAborted.IsCancellationRequested)
                {
                    status = (int)socket.HttpStatusCode;
                    failure = status > 0 ? $"status_{status}" : ex is OperationCanceledException ? "timeout" : "connect";
                }
            }
            socket.Dispose();
            if (context.RequestAborted.IsCancellationRequested) return null;
            var retryable = status == 0 || status == 429 || status >= 500;
            if (status is 0 or >= 500) deployment.Health.ReportFailure();
            if (retryable && request.Attempts < _maxAttempts && DeploymentSelector.TryNext(request))
            {
                log.FailingOver(request.RequestId, request.Attempts, deployment.Id, failure);
                continue;
            }
            log.Exhausted(request.RequestId, deployment.Id, failure);
            var (code, message) = status switch
            {
                0 when failure == "timeout" => (GatewayErrorCodes.UpstreamTimeout, "The upstream realtime endpoint did not answer in time."),
                0 => (GatewayErrorCodes.UpstreamError, "The upstream realtime endpoint could not be reached."),
                429 => (GatewayErrorCodes.RateLimitExceeded, "The upstream provider is rate limiting realtime sessions."),
                503 => (GatewayErrorCodes.UpstreamUnavailable, "The upstream realtime endpoint is unavailable (503)."),
                _ => (GatewayErrorCodes.UpstreamError, $"The upstream realtime endpoint refused the session with status {status}."),
            };
            await GatewayErrorWriter.WriteAsync(context, code, message, outcome: RelayOutcome.UpstreamError);
            return null;
        }
    }

    private static Uri UpstreamUri(CompiledDeployment deployment, HttpContext context)
    {
        var provider = deployment.Provider;
        var baseUrl = provider.BaseUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? "wss://" + provider.BaseUrl[8..]
            : "ws://" + provider.BaseUrl["http://".Length..];
        var model = Uri.EscapeDataString(deployment.UpstreamModel);
        if (provider.Kind == ProviderKind.AzureOpenAI)
        {
            var version = context.Request.Query["api-version"] is { Count: 1 } v ? v[0]! : provider.Spec.ApiVersion ?? Providers.ProviderAdapter.DefaultAzureApiVersion;
            return new Uri($"{baseUrl}/openai/realtime?api-version={Uri.EscapeDataString(version)}&deployment={model}");
        }
        return new Uri($"{baseUrl}/v1/realtime?model={model}");
    }

    /// <summary>Echo <c>realtime</c> when the client offered it (never the key-carrying protocol).</summary>
    private static string? ChooseSubProtocol(HttpContext context)
    {
        foreach (var protocol in context.WebSockets.WebSocketRequestedProtocols)
        {
            if (protocol == "realtime") return protocol;
        }
        return null;
    }

    /// <summary>
    /// Copies messages from one socket to the other; true when the source closed normally. An idle
    /// session holds no buffer: each wait is a zero-byte receive (it returns once a frame header has
    /// arrived), and a pooled buffer is rented only while a message is passing through, so idle
    /// sessions cost what the sockets themselves cost (F4 in docs/benchmarks.md).
    /// </summary>
    private async Task<bool> PumpAsync(WebSocket source, WebSocket destination, GatewayRequest? observed, CancellationToken cancellationToken)
    {
        using var observer = observed is null ? null : new RealtimeObserver(observed);
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult result;
                if (buffer is null)
                {
                    result = await source.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
                    if (result.MessageType != WebSocketMessageType.Close && result.Count == 0 && !result.EndOfMessage)
                    {
                        // A frame with a payload has arrived: read it into a pooled buffer.
                        buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                        result = await source.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                    }
                }
                else
                {
                    result = await source.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                }
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (destination.State is WebSocketState.Open or WebSocketState.CloseReceived)
                        await destination.CloseOutputAsync(source.CloseStatus ?? WebSocketCloseStatus.NormalClosure, source.CloseStatusDescription, cancellationToken);
                    return true;
                }
                var data = buffer is null ? ReadOnlyMemory<byte>.Empty : buffer.AsMemory(0, result.Count);
                if (result.MessageType == WebSocketMessageType.Text) observer?.Append(data.Span, result.EndOfMessage);
                await destination.SendAsync(data, result.MessageType, result.EndOfMessage, cancellationToken);
                if (result.EndOfMessage && buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            if (ex is not OperationCanceledException) LogPumpFailed(observed is null ? "client" : "upstream", ex.Message);
            return false;
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "Realtime relay: the {Side} side ended abruptly ({Error})")]
    private partial void LogPumpFailed(string side, string error);

    /// <summary>Reassembles server text messages (bounded) and scans each whole one for usage and text.</summary>
    private sealed class RealtimeObserver(GatewayRequest request) : IDisposable
    {
        private readonly ResponseScanner _scanner = new(request, anthropicUsage: false, reportUsage: false);
        private ArrayBufferWriter<byte>? _message; // created with the first server text message
        private bool _oversized;
        private TokenUsage _total;

        public void Append(ReadOnlySpan<byte> fragment, bool endOfMessage)
        {
            if (endOfMessage && !_oversized && (_message is null || _message.WrittenCount == 0))
            {
                Scan(fragment); // a whole message in one piece: scanned where it lies
                return;
            }
            _message ??= new ArrayBufferWriter<byte>(4096);
            if (!_oversized)
            {
                if (_message.WrittenCount + fragment.Length > MaxObservedMessage) _oversized = true;
                else _message.Write(fragment);
            }
            if (!endOfMessage) return;
            if (!_oversized) Scan(_message.WrittenSpan);
            _message.ResetWrittenCount();
            _oversized = false;
        }

        private void Scan(ReadOnlySpan<byte> json)
        {
            if (!request.WantsText && json.IndexOf("\"usage\""u8) < 0) return;
            _scanner.ResetUsage();
            if (_scanner.ScanEvent(json).HasUsage && _scanner.Usage is { } usage)
            {
                _total = new TokenUsage(_total.InputTokens + usage.InputTokens, _total.CachedInputTokens + usage.CachedInputTokens, _total.OutputTokens + usage.OutputTokens);
                request.ReportUsage(_total);
            }
        }

        public void Dispose() => _scanner.Dispose();
    }
}
