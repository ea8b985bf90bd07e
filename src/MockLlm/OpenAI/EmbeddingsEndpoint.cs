using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Gateway.MockLlm.Generation;
using Gateway.MockLlm.Http;

namespace Gateway.MockLlm.OpenAI;

/// <summary>
/// <c>POST /v1/embeddings</c> (and Azure's deployment route). Each input item gets a unit-length
/// vector seeded by (model, item): the same text always embeds the same. <c>encoding_format</c>
/// <c>float</c> (default) or <c>base64</c> (little-endian float32, what the OpenAI .NET SDK asks for);
/// <c>dimensions</c> honoured.
/// </summary>
internal static class EmbeddingsEndpoint
{
    public const string Endpoint = "embeddings";
    private const int MaxDimensions = 16_384;

    public static Task HandleAsync(HttpContext context) => HandleAsync(context, Provider.OpenAI, deployment: null);

    public static async Task HandleAsync(HttpContext context, Provider provider, string? deployment)
    {
        var core = context.RequestServices.GetRequiredService<MockLlmCore>();
        core.Keys.Demand(context, provider);
        var knobs = core.Knobs(context);
        using var body = await JsonBody.ReadAsync(context);
        var root = body.Root;
        var model = deployment ?? Json.RequiredString(root, "model", "model");
        var input = Json.Get(root, "input");
        var (promptTokens, items) = TextInputs.Count(input, "input", core.Tokens);
        var format = Json.OptionalString(root, "encoding_format", "encoding_format") ?? "float";
        var base64 = format switch
        {
            "float" => false,
            "base64" => true,
            _ => throw new MockHttpException(400, $"Invalid value for 'encoding_format': '{format}'. Supported values are: 'float' and 'base64'.", "encoding_format", "invalid_value"),
        };
        var dimensions = Json.OptionalInt(root, "dimensions", "dimensions", 1, MaxDimensions) ?? core.Options.EmbeddingDimensions;

        await core.DelayAsync(knobs.DelayMs, context.RequestAborted);
        if (await core.TryForcedErrorAsync(context, provider, knobs, Endpoint, model, streamed: false)) return;

        var tally = core.Tally.Begin(context, Endpoint, model, streamed: false);
        var cached = Math.Min(knobs.CachedTokens, promptTokens);
        tally.AddPrompt(promptTokens, cached);
        if (await core.TryDropJsonAsync(context, knobs, tally)) return;

        var vector = ArrayPool<float>.Shared.Rent(dimensions);
        try
        {
            var json = JsonResponse.Start(context);
            json.WriteStartObject();
            json.WriteString("object"u8, "list"u8);
            json.WriteStartArray("data"u8);
            for (var i = 0; i < items; i++)
            {
                var seed = new RequestSeed("embedding");
                seed.Add(model);
                seed.Add(TextInputs.Item(input, i));
                Fill(vector.AsSpan(0, dimensions), seed.Value);
                json.WriteStartObject();
                json.WriteString("object"u8, "embedding"u8);
                json.WriteNumber("index"u8, i);
                if (base64)
                {
                    json.WriteBase64String("embedding"u8, MemoryMarshal.AsBytes(vector.AsSpan(0, dimensions)));
                }
                else
                {
                    json.WriteStartArray("embedding"u8);
                    for (var d = 0; d < dimensions; d++) json.WriteNumberValue(vector[d]);
                    json.WriteEndArray();
                }
                json.WriteEndObject();
                if (json.BytesCommitted + json.BytesPending > 0 && (i & 15) == 15)
                {
                    await json.FlushAsync(context.RequestAborted);
                    await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
                }
            }
            json.WriteEndArray();
            json.WriteString("model"u8, model);
            if (!knobs.OmitUsage)
            {
                json.WriteStartObject("usage"u8);
                json.WriteNumber("prompt_tokens"u8, promptTokens);
                json.WriteNumber("total_tokens"u8, promptTokens);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            if (await JsonResponse.FinishAsync(context, json))
            {
                if (!knobs.OmitUsage) tally.MarkUsageReported();
                tally.Finish(StatusCodes.Status200OK, completed: true);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(vector);
        }
    }

    /// <summary>A deterministic unit vector: components in [-1, 1) from the seed, then L2-normalised.</summary>
    internal static void Fill(Span<float> vector, ulong seed)
    {
        double norm = 0;
        for (var i = 0; i < vector.Length; i++)
        {
            var bits = RequestSeed.Mix(seed + (ulong)i * 0x9E3779B97F4A7C15UL);
            var value = (float)((bits >> 40) / (double)(1UL << 24) * 2.0 - 1.0);
            vector[i] = value;
            norm += value * value;
        }
        var scale = norm > 0 ? (float)(1.0 / Math.Sqrt(norm)) : 0f;
        for (var i = 0; i < vector.Length; i++) vector[i] *= scale;
    }
}
