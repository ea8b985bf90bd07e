using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Gateway.MockLlm.Http;
using Gateway.MockLlm.Knobs;
using Gateway.MockLlm.Tally;

namespace Gateway.MockLlm.Realtime;

/// <summary>
/// One realtime connection, text modality: session.created on connect; session.update,
/// conversation.item.create and response.create answered in order; anything malformed or
/// unsupported answered with an <c>error</c> event, never by dropping the connection.
/// The tally has one entry per connection (its upgrade request id) summing its responses.
/// </summary>
internal sealed partial class RealtimeSession(
    HttpContext context, WebSocket socket, MockLlmCore core, MockKnobs knobs, TallyEntry tally, string model)
{
    private const int MaxMessageBytes = 1 << 20;

    private readonly ArrayBufferWriter<byte> _out = new(4096);
    private readonly List<ConversationItem> _items = [];
    private readonly string _sessionId = ResponseIds.For("sess_", context.RequestId());
    private string _instructions = "";
    private int? _maxOutputTokens;
    private int _eventCounter;
    private int _responseCounter;
    private byte[] _receive = [];
    private bool _cut;
    private bool _responding;

    private CancellationToken Aborted => context.RequestAborted;

    public async Task RunAsync()
    {
        _receive = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            await SendSessionAsync("session.created"u8);
            while (socket.State == WebSocketState.Open)
            {
                var (length, type, tooLarge) = await ReceiveAsync();
                if (type == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Aborted);
                    break;
                }
                if (tooLarge)
                {
                    await SendErrorAsync("invalid_request_error", "message_too_large", $"Messages are limited to {MaxMessageBytes} bytes.");
                }
                else if (type == WebSocketMessageType.Binary)
                {
                    await SendErrorAsync("invalid_request_error", "binary_not_supported", "Send events as JSON text messages.");
                }
                else if (!await DispatchAsync(_receive.AsMemory(0, length)))
                {
                    return;
                }
                if (_receive.Length > 64 * 1024)
                {
                    ArrayPool<byte>.Shared.Return(_receive);
                    _receive = ArrayPool<byte>.Shared.Rent(16 * 1024);
                }
            }
            if (!_cut) tally.Finish(StatusCodes.Status101SwitchingProtocols, completed: true);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away: what was sent is already tallied, and the entry stays incomplete
            // if a response was cut short.
            if (!_cut && !_responding) tally.Finish(StatusCodes.Status101SwitchingProtocols, completed: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_receive);
            _receive = [];
        }
    }

    private async Task<(int Length, WebSocketMessageType Type, bool TooLarge)> ReceiveAsync()
    {
        var buffer = _receive;
        var length = 0;
        var tooLarge = false;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= MaxMessageBytes)
                {
                    tooLarge = true;
                    length = 0;
                }
                else
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = _receive = bigger;
                }
            }
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), Aborted);
            if (result.MessageType == WebSocketMessageType.Close) return (0, result.MessageType, false);
            length += result.Count;
            if (result.EndOfMessage) return (length, result.MessageType, tooLarge);
        }
    }

    private readonly record struct ConversationItem(string Id, string Role, string Text, int Tokens);

    private async Task<bool> DispatchAsync(ReadOnlyMemory<byte> message)
    {
        if (!System.Text.Unicode.Utf8.IsValid(message.Span))
        {
            await SendErrorAsync("invalid_request_error", "invalid_json", "The event is not valid UTF-8.");
            return true;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message);
        }
        catch (JsonException ex)
        {
            await SendErrorAsync("invalid_request_error", "invalid_json", $"The event is not valid JSON: {ex.Message}");
            return true;
        }
        using (document)
        {
            var root = document.RootElement;
            var type = root.ValueKind == JsonValueKind.Object ? Json.Get(root, "type") : default;
            var eventId = root.ValueKind == JsonValueKind.Object && Json.Get(root, "event_id") is { ValueKind: JsonValueKind.String } id ? id.GetString() : null;
            if (type.ValueKind != JsonValueKind.String)
            {
                await SendErrorAsync("invalid_request_error", "missing_type", "Each event must be a JSON object with a string 'type'.", eventId);
                return true;
            }
            try
            {
                switch (type.GetString())
                {
                    case "session.update":
                        await UpdateSessionAsync(root);
                        return true;
                    case "conversation.item.create":
                        await CreateItemAsync(root);
                        return true;
                    case "response.create":
                        return await CreateResponseAsync(root);
                    case "response.cancel":
                        await SendErrorAsync("invalid_request_error", "response_cancel_not_active", "There is no active response to cancel.", eventId);
                        return true;
                    default:
                        await SendErrorAsync("invalid_request_error", "invalid_event_type",
                            $"Invalid value: '{type.GetString()}'. MockLlm supports session.update, conversation.item.create, response.create and response.cancel (text only).", eventId);
                        return true;
                }
            }
            catch (MockHttpException ex)
            {
                await SendErrorAsync("invalid_request_error", ex.Code ?? "invalid_value", ex.Message, eventId, ex.Param);
                return true;
            }
        }
    }

    private async Task UpdateSessionAsync(JsonElement root)
    {
        var session = Json.OptionalObject(root, "session", "session");
        if (Json.Has(session))
        {
            _instructions = Json.OptionalString(session, "instructions", "session.instructions") ?? _instructions;
            _maxOutputTokens = MaxTokens(session, "max_response_output_tokens", "session.max_response_output_tokens") ?? _maxOutputTokens;
        }
        await SendSessionAsync("session.updated"u8);
    }

    private async Task CreateItemAsync(JsonElement root)
    {
        var item = Json.OptionalObject(root, "item", "item");
        if (!Json.Has(item)) throw new MockHttpException(400, "Missing required parameter: 'item'.", "item", "missing_required_parameter");
        var type = Json.OptionalString(item, "type", "item.type") ?? "message";
        if (type != "message") throw new MockHttpException(400, $"MockLlm supports items of type 'message' only, not '{type}'.", "item.type", "invalid_value");
        var role = Json.RequiredString(item, "role", "item.role");
        if (role is not ("user" or "assistant" or "system")) throw new MockHttpException(400, $"Invalid value: '{role}'. Supported values are: 'user', 'assistant' and 'system'.", "item.role", "invalid_value");
        var content = Json.RequiredArray(item, "content", "item.content", nonEmpty: false);
        var text = new StringBuilder();
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object) throw Json.WrongType($"item.content[{i}]", "an object");
            var partText = Json.OptionalString(part, "text", $"item.content[{i}].text");
            text.Append(partText);
            i++;
        }
        var id = Json.OptionalString(item, "id", "item.id") ?? $"item_{_items.Count + 1:D4}";
        var previous = _items.Count > 0 ? _items[^1].Id : null;
        var itemText = text.ToString();
        _items.Add(new ConversationItem(id, role, itemText, core.Tokens.Count(itemText)));

        var json = BeginEvent("conversation.item.created"u8);
        if (previous is null) json.WriteNull("previous_item_id"u8); else json.WriteString("previous_item_id"u8, previous);
        json.WritePropertyName("item"u8);
        WriteItem(json, id, role, "completed"u8, role == "assistant" ? "text"u8 : "input_text"u8, itemText);
        await SendAsync(json);
    }

    private static int? MaxTokens(JsonElement obj, string name, string param)
    {
        var value = Json.Get(obj, name);
        if (value.ValueKind == JsonValueKind.String && value.ValueEquals("inf"u8)) return int.MaxValue;
        return Json.OptionalInt(obj, name, param, 1);
    }
}
