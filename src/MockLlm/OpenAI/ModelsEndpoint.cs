using System.Text.Json;
using Gateway.MockLlm.Http;

namespace Gateway.MockLlm.OpenAI;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{model}</c>: the configured model ids.</summary>
internal static class ModelsEndpoint
{
    private const long Created = 1_704_067_200; // 2024-01-01, fixed so the list is deterministic

    public static async Task ListAsync(HttpContext context)
    {
        var core = context.RequestServices.GetRequiredService<MockLlmCore>();
        core.Keys.Demand(context, Provider.OpenAI);
        var json = JsonResponse.Start(context);
        json.WriteStartObject();
        json.WriteString("object"u8, "list"u8);
        json.WriteStartArray("data"u8);
        foreach (var model in Models(core)) WriteModel(json, model);
        json.WriteEndArray();
        json.WriteEndObject();
        await JsonResponse.FinishAsync(context, json);
    }

    public static async Task GetAsync(HttpContext context)
    {
        var core = context.RequestServices.GetRequiredService<MockLlmCore>();
        core.Keys.Demand(context, Provider.OpenAI);
        var id = (string)context.Request.RouteValues["model"]!;
        if (Array.IndexOf(Models(core), id) < 0)
        {
            throw new MockHttpException(404, $"The model '{id}' does not exist or you do not have access to it.", "model", "model_not_found");
        }
        var json = JsonResponse.Start(context);
        WriteModel(json, id);
        await JsonResponse.FinishAsync(context, json);
    }

    private static string[] Models(MockLlmCore core) =>
        core.Options.Models.Length > 0 ? core.Options.Models : MockLlmOptions.DefaultModels;

    private static void WriteModel(Utf8JsonWriter json, string id)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, id);
        json.WriteString("object"u8, "model"u8);
        json.WriteNumber("created"u8, Created);
        json.WriteString("owned_by"u8, "mockllm"u8);
        json.WriteEndObject();
    }
}
