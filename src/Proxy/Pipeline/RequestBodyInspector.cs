using System.Text.Json;

namespace Gateway.Proxy.Pipeline;

/// <summary>
/// One forward pass over the JSON body with <see cref="Utf8JsonReader"/>: validates the whole
/// document (syntax, UTF-8, depth), and notes where <c>model</c> is and the stream and token
/// settings. No DOM, no allocation on success.
/// </summary>
internal static class RequestBodyInspector
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    /// <summary>Inspects <paramref name="body"/>; on failure returns false with an error code, message and param.</summary>
    public static bool TryInspect(ReadOnlySpan<byte> body, out RequestBodyInfo info, out BodyError error)
    {
        info = RequestBodyInfo.Empty;
        error = default;
        var jsonLength = body.Length;
        var offset = body.StartsWith("\xEF\xBB\xBF"u8) ? 3 : 0;
        body = body[offset..];
        if (body.IsEmpty || body.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            error = new BodyError(Contracts.Errors.GatewayErrorCodes.InvalidJson, "The request body is empty; a JSON object was expected.", null);
            return false;
        }

        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            error = new BodyError(Contracts.Errors.GatewayErrorCodes.InvalidJson, $"The request body is not valid UTF-8 (byte offset {FirstInvalidUtf8(body) + offset}).", null);
            return false;
        }

        var reader = new Utf8JsonReader(body, ReaderOptions);
        var modelStart = -1;
        var modelLength = 0;
        bool stream = false, hasStreamOptions = false, includeUsage = false;
        long? maxTokens = null;
        var member = Member.Other;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = new BodyError(Contracts.Errors.GatewayErrorCodes.InvalidRequest, "The request body must be a JSON object.", null);
                return false;
            }
            while (reader.Read())
            {
                var depth = reader.CurrentDepth;
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (depth == 1) member = MemberOf(ref reader);
                    else if (depth == 2 && member == Member.StreamOptions && reader.ValueTextEquals("include_usage"u8)) member = Member.IncludeUsage;
                    continue;
                }
                if (depth == 1 && reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray))
                {
                    switch (member)
                    {
                        case Member.Model:
                            if (reader.TokenType != JsonTokenType.String)
                            {
                                error = new BodyError(Contracts.Errors.GatewayErrorCodes.MissingModel, "'model' must be a string naming a model.", "model");
                                return false;
                            }
                            modelStart = (int)reader.TokenStartIndex + offset;
                            modelLength = reader.ValueSpan.Length + 2;
                            break;
                        case Member.Stream:
                            if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null))
                            {
                                error = new BodyError(Contracts.Errors.GatewayErrorCodes.InvalidRequest, "'stream' must be a boolean.", "stream");
                                return false;
                            }
                            stream = reader.TokenType == JsonTokenType.True;
                            break;
                        case Member.StreamOptions:
                            hasStreamOptions = reader.TokenType != JsonTokenType.Null;
                            break;
                        case Member.MaxTokens:
                            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var max)) maxTokens = max;
                            break;
                    }
                    if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray)) member = Member.Other;
                }
                else if (depth == 2 && member == Member.IncludeUsage && reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                {
                    includeUsage = reader.TokenType == JsonTokenType.True;
                    member = Member.StreamOptions;
                }
                else if (depth == 1 && reader.TokenType == JsonTokenType.EndObject)
                {
                    member = Member.Other;
                }
            }
        }
        catch (JsonException ex)
        {
            error = new BodyError(Contracts.Errors.GatewayErrorCodes.InvalidJson, DescribeJsonError(ex), null);
            return false;
        }

        info = new RequestBodyInfo
        {
            ModelTokenStart = modelStart,
            ModelTokenLength = modelLength,
            Stream = stream,
            HasStreamOptions = hasStreamOptions,
            IncludeUsage = includeUsage,
            MaxTokens = maxTokens,
            JsonLength = jsonLength,
        };
        return true;
    }

    /// <summary>Unescapes the <c>model</c> string into <paramref name="destination"/>; false when it does not fit.</summary>
    public static bool TryCopyModel(ReadOnlySpan<byte> body, in RequestBodyInfo info, Span<char> destination, out int written)
    {
        written = 0;
        if (!info.HasModel) return false;
        var reader = new Utf8JsonReader(body.Slice(info.ModelTokenStart, info.ModelTokenLength));
        if (!reader.Read() || reader.TokenType != JsonTokenType.String) return false;
        try
        {
            written = reader.CopyString(destination);
            return true;
        }
        catch (ArgumentException)
        {
            // Longer than any model name the gateway knows.
            return false;
        }
    }

    /// <summary>A message naming the position of a JSON syntax error (1-based line and column).</summary>
    public static string DescribeJsonError(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        var line = (ex.LineNumber ?? 0) + 1;
        var column = (ex.BytePositionInLine ?? 0) + 1;
        return $"We could not parse the JSON body of your request: {message.TrimEnd()} (line {line}, column {column}).";
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> body)
    {
        var index = 0;
        while (index < body.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(body[index..], out _, out var consumed) != System.Buffers.OperationStatus.Done) return index;
            index += consumed;
        }
        return index;
    }

    private static Member MemberOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("model"u8)) return Member.Model;
        if (reader.ValueTextEquals("stream"u8)) return Member.Stream;
        if (reader.ValueTextEquals("stream_options"u8)) return Member.StreamOptions;
        if (reader.ValueTextEquals("max_tokens"u8) || reader.ValueTextEquals("max_completion_tokens"u8) || reader.ValueTextEquals("max_output_tokens"u8))
            return Member.MaxTokens;
        return Member.Other;
    }

    private enum Member
    {
        Other,
        Model,
        Stream,
        StreamOptions,
        IncludeUsage,
        MaxTokens,
    }
}

/// <summary>A problem with the request body: the gateway error code, a message and the offending parameter.</summary>
internal readonly record struct BodyError(string Code, string Message, string? Param);
