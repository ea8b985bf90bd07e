using System.Text.Json;

namespace Gateway.Portal.Api;

/// <summary>Reads an RFC 9457 problem (title, detail, per-field errors, trace id) from a failed response.</summary>
internal static class ProblemReader
{
    public static async Task<ApiException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var fallbackTitle = string.IsNullOrEmpty(response.ReasonPhrase) ? $"HTTP {status}" : response.ReasonPhrase;
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            return new ApiException(status, fallbackTitle, null);
        }

        if (string.IsNullOrWhiteSpace(body)) return new ApiException(status, fallbackTitle, null);
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return new ApiException(status, fallbackTitle, null);
            var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in e.EnumerateObject())
                {
                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                        ? [.. field.Value.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : m.ToString())]
                        : [field.Value.ToString()];
                }
            }
            return new ApiException(status, String(root, "title") ?? fallbackTitle, String(root, "detail"), errors, String(root, "traceId"));
        }
        catch (JsonException)
        {
            // Not a problem document (e.g. a proxy's HTML error page): say only what the status says.
            return new ApiException(status, fallbackTitle, null);
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
