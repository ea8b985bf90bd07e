using System.Text.Json;
using Gateway.MockLlm.Http;

namespace Gateway.MockLlm.KServe;

/// <summary>
/// The KServe/Triton open inference protocol v2: server and model health, model metadata and
/// <c>infer</c>. Any model name is served (version "1"). No key is needed, as with an in-cluster
/// KServe predictor; errors are <c>{"error": "..."}</c>.
/// </summary>
internal static class KServeEndpoints
{
    public const string Endpoint = "kserve.infer";
    public const string Version = "1";

    public static void MapKServe(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2", ServerMetadataAsync);
        app.MapGet("/v2/health/live", context => FlagAsync(context, "live"));
        app.MapGet("/v2/health/ready", context => FlagAsync(context, "ready"));
        app.MapGet("/v2/models/{name}", ModelMetadataAsync);
        app.MapGet("/v2/models/{name}/versions/{version}", ModelMetadataAsync);
        app.MapGet("/v2/models/{name}/ready", ModelReadyAsync);
        app.MapGet("/v2/models/{name}/versions/{version}/ready", ModelReadyAsync);
        app.MapPost("/v2/models/{name}/infer", InferEndpoint.HandleAsync);
        app.MapPost("/v2/models/{name}/versions/{version}/infer", InferEndpoint.HandleAsync);
    }

    private static async Task ServerMetadataAsync(HttpContext context)
    {
        var json = JsonResponse.Start(context);
        json.WriteStartObject();
        json.WriteString("name"u8, "mockllm"u8);
        json.WriteString("version"u8, "2"u8);
        json.WriteStartArray("extensions"u8);
        json.WriteEndArray();
        json.WriteEndObject();
        await JsonResponse.FinishAsync(context, json);
    }

    private static async Task FlagAsync(HttpContext context, string name)
    {
        var json = JsonResponse.Start(context);
        json.WriteStartObject();
        json.WriteBoolean(name, true);
        json.WriteEndObject();
        await JsonResponse.FinishAsync(context, json);
    }

    private static async Task ModelReadyAsync(HttpContext context)
    {
        var json = JsonResponse.Start(context);
        json.WriteStartObject();
        json.WriteString("name"u8, ModelName(context));
        json.WriteBoolean("ready"u8, true);
        json.WriteEndObject();
        await JsonResponse.FinishAsync(context, json);
    }

    private static async Task ModelMetadataAsync(HttpContext context)
    {
        var json = JsonResponse.Start(context);
        json.WriteStartObject();
        json.WriteString("name"u8, ModelName(context));
        json.WriteStartArray("versions"u8);
        json.WriteStringValue(Version);
        json.WriteEndArray();
        json.WriteString("platform"u8, "mockllm"u8);
        json.WriteStartArray("inputs"u8);
        WriteTensor(json, "input"u8, "FP32"u8, -1, -1);
        json.WriteEndArray();
        json.WriteStartArray("outputs"u8);
        WriteTensor(json, "score"u8, "FP32"u8, -1, 1);
        json.WriteEndArray();
        json.WriteEndObject();
        await JsonResponse.FinishAsync(context, json);
    }

    private static void WriteTensor(Utf8JsonWriter json, ReadOnlySpan<byte> name, ReadOnlySpan<byte> datatype, int rows, int columns)
    {
        json.WriteStartObject();
        json.WriteString("name"u8, name);
        json.WriteString("datatype"u8, datatype);
        json.WriteStartArray("shape"u8);
        json.WriteNumberValue(rows);
        json.WriteNumberValue(columns);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The model name, with an explicit version checked against the one version served.</summary>
    public static string ModelName(HttpContext context)
    {
        if (context.Request.RouteValues.TryGetValue("version", out var version) && (string?)version != Version)
        {
            throw new MockHttpException(StatusCodes.Status404NotFound, $"Version '{version}' of model '{context.Request.RouteValues["name"]}' is not available; version '{Version}' is.");
        }
        return (string)context.Request.RouteValues["name"]!;
    }
}
