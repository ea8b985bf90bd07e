using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Gateway.MockLlm.Http;

namespace Gateway.MockLlm.Realtime;

internal sealed partial class RealtimeSession
{
    private Utf8JsonWriter? _json;

    /// <summary>Starts a server event (type and event_id written); finish it with <see cref="SendAsync"/>.</summary>
    private Utf8JsonWriter BeginEvent(ReadOnlySpan<byte> type)
    {
        _out.Clear();
        if (_json is null) _json = new Utf8JsonWriter(_out, JsonWriting.Options); else _json.Reset(_out);
        _json.WriteStartObject();
        _json.WriteString("type"u8, type);
        _json.WriteString("event_id"u8, "event_" + (++_eventCounter).ToString("D6", CultureInfo.InvariantCulture));
        return _json;
    }

    private async Task SendAsync(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.Flush();
        await socket.SendAsync(_out.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, Aborted);
    }

    private Task SendErrorAsync(string type, string code, string message, string? eventId = null, string? param = null)
    {
        var json = BeginEvent("error"u8);
        json.WriteStartObject("error"u8);
        json.WriteString("type"u8, type);
        json.WriteString("code"u8, code);
        json.WriteString("message"u8, message);
        if (param is null) json.WriteNull("param"u8); else json.WriteString("param"u8, param);
        if (eventId is null) json.WriteNull("event_id"u8); else json.WriteString("event_id"u8, eventId);
        json.WriteEndObject();
        return SendAsync(json);
    }

    private Task SendSessionAsync(ReadOnlySpan<byte> type)
    {
        var json = BeginEvent(type);
        json.WriteStartObject("session"u8);
        json.WriteString("id"u8, _sessionId);
        json.WriteString("object"u8, "realtime.session"u8);
        json.WriteString("model"u8, model);
        json.WriteStartArray("modalities"u8);
        json.WriteStringValue("text"u8);
        json.WriteEndArray();
        json.WriteString("instructions"u8, _instructions);
        json.WriteString("voice"u8, "alloy"u8);
        json.WriteString("input_audio_format"u8, "pcm16"u8);
        json.WriteString("output_audio_format"u8, "pcm16"u8);
        json.WriteNull("input_audio_transcription"u8);
        json.WriteNull("turn_detection"u8);
        json.WriteStartArray("tools"u8);
        json.WriteEndArray();
        json.WriteString("tool_choice"u8, "auto"u8);
        json.WriteNumber("temperature"u8, 0.8);
        if (_maxOutputTokens is null or int.MaxValue) json.WriteString("max_response_output_tokens"u8, "inf"u8);
        else json.WriteNumber("max_response_output_tokens"u8, _maxOutputTokens.Value);
        json.WriteEndObject();
        return SendAsync(json);
    }

    private static void WriteItem(Utf8JsonWriter json, string id, string role, ReadOnlySpan<byte> status,
        ReadOnlySpan<byte> contentType, string? text)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, id);
        json.WriteString("object"u8, "realtime.item"u8);
        json.WriteString("type"u8, "message"u8);
        json.WriteString("status"u8, status);
        json.WriteString("role"u8, role);
        json.WriteStartArray("content"u8);
        if (text is not null)
        {
            json.WriteStartObject();
            json.WriteString("type"u8, contentType);
            json.WriteString("text"u8, text);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
