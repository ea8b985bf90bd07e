using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Gateway.ControlPlane.Tests.Infrastructure;

/// <summary>Small helpers for calling the admin API and reading its problems.</summary>
public static class Api
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    /// <summary>Asserts a problem+json response with the status, and returns its body.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>
    /// What is wrong with an answer of the admin API, or null: a 5xx, or an error that is not a
    /// ProblemDetails (<c>application/problem+json</c>) carrying its status and a title.
    /// </summary>
    public static string? ProblemShapeError(HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        if (status >= 500) return "a 5xx";
        if (status < 400) return null;
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return $"not a problem ({response.Content.Headers.ContentType})";
        try
        {
            var root = JsonDocument.Parse(text).RootElement;
            if (!root.TryGetProperty("status", out var s) || s.ValueKind != JsonValueKind.Number || s.GetInt32() != status) return "no status in the problem";
            if (!root.TryGetProperty("title", out var title) || title.ValueKind != JsonValueKind.String) return "no title in the problem";
        }
        catch (JsonException)
        {
            return "not JSON";
        }
        return null;
    }

    /// <summary>Asserts a 400 validation problem naming <paramref name="field"/>.</summary>
    public static async Task ValidationErrorAsync(this HttpResponseMessage response, string field)
    {
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"No error for '{field}' in {problem}");
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body, Json, Ct);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, object body) =>
        client.PutAsJsonAsync(path, body, Json, Ct);

    public static Task<HttpResponseMessage> Get(this HttpClient client, string path) => client.GetAsync(new Uri(path, UriKind.Relative), Ct);

    /// <summary>Sends <paramref name="json"/> as it is. With <c>Expect: 100-continue</c> a body the server refuses
    /// by its length is never sent, so the refusal is read cleanly instead of racing a reset connection.</summary>
    public static Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string path, string json)
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        return client.SendAsync(request, Ct);
    }
}
