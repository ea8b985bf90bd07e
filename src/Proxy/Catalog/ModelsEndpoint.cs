using System.Buffers;
using System.Text.Json;
using Gateway.Contracts.Errors;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Snapshots;

namespace Gateway.Proxy.Catalog;

/// <summary>
/// <c>GET /v1/models</c> (and <c>/v1/models/{model}</c>): what this key may call, in OpenAI's list
/// shape. Each subscribed alias is listed, then each of its serving versions (callable by exact
/// name); a <c>gateway</c> member carries the version metadata: status, resolved and default
/// version, canary, sunset, successor and prices.
/// </summary>
internal static class ModelsEndpoint
{
    public static async Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        var key = request.Key!;
        var snapshot = request.Snapshot!;
        var created = snapshot.Spec.IssuedAt.ToUnixTimeSeconds();
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var single = context.Request.RouteValues["model"] as string;

        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, Providers.Translation.JsonWriting.Options))
        {
            var found = false;
            if (single is null)
            {
                w.WriteStartObject();
                w.WriteString("object", "list");
                w.WriteStartArray("data");
            }
            foreach (var subscription in key.Subscriptions)
            {
                if (subscription.Spec.EndsAt is { } ends && ends <= now) continue;
                var model = subscription.Model;
                if (single is null || single == model.Alias)
                {
                    WriteAlias(w, model, subscription, created);
                    found = true;
                }
                foreach (var version in model.Versions)
                {
                    if (!Serves(version, now)) continue;
                    if (single is null || single == version.Name)
                    {
                        WriteVersion(w, version, created);
                        found = true;
                    }
                }
            }
            if (single is null)
            {
                w.WriteEndArray();
                w.WriteEndObject();
            }
            else if (!found)
            {
                await w.DisposeAsync();
                await GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.ModelNotFound, $"The model '{single}' does not exist or you do not have access to it.", "model");
                return;
            }
        }
        request.Complete(Relay.RelayOutcome.Completed);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private static bool Serves(CompiledVersion version, DateTimeOffset now) =>
        version.Status != VersionStatus.Retired && (version.Spec.SunsetAt is not { } sunset || sunset > now);

    private static void WriteAlias(Utf8JsonWriter w, CompiledModel model, CompiledSubscription subscription, long created)
    {
        w.WriteStartObject();
        w.WriteString("id", model.Alias);
        w.WriteString("object", "model");
        w.WriteNumber("created", created);
        w.WriteString("owned_by", "gateway");
        w.WriteStartObject("gateway");
        w.WriteString("type", "alias");
        w.WriteString("kind", KindName(model.Kind));
        if (model.Spec.Description is { } description) w.WriteString("description", description);
        w.WriteString("default_version", model.Default.Name);
        w.WriteString("resolved_version", (subscription.Pinned ?? model.Default).Name);
        if (subscription.Pinned is { } pinned) w.WriteString("pinned_version", pinned.Name);
        if (model.Canary is { } canary && subscription.Pinned is null)
        {
            w.WriteStartObject("canary");
            w.WriteString("version", canary.Name);
            w.WriteNumber("percent", model.CanaryBasisPoints / 100.0);
            w.WriteEndObject();
        }
        w.WriteString("subscription_id", subscription.Id);
        w.WriteStartArray("versions");
        foreach (var version in model.Versions) WriteVersionMetadata(w, version);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteVersion(Utf8JsonWriter w, CompiledVersion version, long created)
    {
        w.WriteStartObject();
        w.WriteString("id", version.Name);
        w.WriteString("object", "model");
        w.WriteNumber("created", created);
        w.WriteString("owned_by", "gateway");
        w.WritePropertyName("gateway");
        w.WriteStartObject();
        w.WriteString("type", "version");
        w.WriteString("alias", version.Model.Alias);
        WriteVersionFields(w, version);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteVersionMetadata(Utf8JsonWriter w, CompiledVersion version)
    {
        w.WriteStartObject();
        w.WriteString("name", version.Name);
        WriteVersionFields(w, version);
        w.WriteEndObject();
    }

    private static void WriteVersionFields(Utf8JsonWriter w, CompiledVersion version)
    {
        var spec = version.Spec;
        w.WriteString("status", spec.Status switch
        {
            VersionStatus.Preview => "preview",
            VersionStatus.Ga => "ga",
            VersionStatus.Deprecated => "deprecated",
            _ => "retired",
        });
        if (spec.DeprecatedAt is { } deprecated) w.WriteString("deprecated_at", deprecated);
        if (spec.SunsetAt is { } sunset) w.WriteString("sunset_at", sunset);
        if (spec.Successor is { } successor) w.WriteString("successor", successor);
        if (spec.ContextWindow is { } context) w.WriteNumber("context_window", context);
        if (spec.MaxOutputTokens is { } max) w.WriteNumber("max_output_tokens", max);
        w.WriteStartObject("prices_per_million");
        w.WriteNumber("input", spec.Prices.InputPerMillion);
        w.WriteNumber("cached_input", spec.Prices.CachedInputPerMillion);
        w.WriteNumber("output", spec.Prices.OutputPerMillion);
        w.WriteString("currency", spec.Prices.Currency);
        w.WriteEndObject();
    }

    private static string KindName(ModelKind kind) => kind switch
    {
        ModelKind.Chat => "chat",
        ModelKind.Embeddings => "embeddings",
        ModelKind.Realtime => "realtime",
        _ => "inference",
    };
}
