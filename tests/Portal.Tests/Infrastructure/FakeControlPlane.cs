using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Portal.Api;

namespace Gateway.Portal.Tests.Infrastructure;

/// <summary>
/// Stands in for the control plane's HTTP API behind the typed clients (the API itself is tested
/// for real in ControlPlane.Tests and the browser journeys). Answers by method and path; records
/// every request with its query and body; can hold a response open to show loading states.
/// </summary>
public sealed class FakeControlPlane : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, Func<HttpRequestMessage, Task<HttpResponseMessage>>> _routes = new(StringComparer.Ordinal);

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public void Json(HttpMethod method, string path, object body, HttpStatusCode status = HttpStatusCode.OK) =>
        _routes[Key(method, path)] = _ => Task.FromResult(JsonResponse(body, status));

    public void Respond(HttpMethod method, string path, Func<HttpRequestMessage, object> body) =>
        _routes[Key(method, path)] = request => Task.FromResult(JsonResponse(body(request), HttpStatusCode.OK));

    /// <summary>An RFC 9457 problem, as the control plane sends it.</summary>
    public void Problem(HttpMethod method, string path, HttpStatusCode status, string title, string? detail = null, Dictionary<string, string[]>? errors = null)
    {
        var problem = new Dictionary<string, object?> { ["type"] = "about:blank", ["title"] = title, ["status"] = (int)status, ["traceId"] = "00-trace" };
        if (detail is not null) problem["detail"] = detail;
        if (errors is not null) problem["errors"] = errors;
        _routes[Key(method, path)] = _ =>
        {
            var response = JsonResponse(problem, status);
            response.Content.Headers.ContentType = new("application/problem+json");
            return Task.FromResult(response);
        };
    }

    /// <summary>Keeps the answer back until the returned source is completed (loading states).</summary>
    public TaskCompletionSource Hold(HttpMethod method, string path, object body)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _routes[Key(method, path)] = async _ =>
        {
            await gate.Task;
            return JsonResponse(body, HttpStatusCode.OK);
        };
        return gate;
    }

    /// <summary>The connection fails, as when the control plane is down.</summary>
    public void Unreachable(HttpMethod method, string path) =>
        _routes[Key(method, path)] = _ => throw new HttpRequestException("Connection refused");

    public RecordedRequest Last(HttpMethod method, string path) =>
        Requests.LastOrDefault(r => r.Method == method && r.Path == path) ?? throw new InvalidOperationException($"No {method} {path} was sent.");

    public bool Sent(HttpMethod method, string path) => Requests.Any(r => r.Method == method && r.Path == path);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        Requests.Enqueue(new RecordedRequest(request.Method, path, System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query), body,
            request.Headers.Authorization?.ToString()));
        if (_routes.TryGetValue(Key(request.Method, path), out var route)) return await route(request);
        return JsonResponse(new { title = "Not found", status = 404, detail = $"No fake for {request.Method} {path}." }, HttpStatusCode.NotFound);
    }

    private static string Key(HttpMethod method, string path) => $"{method.Method} {path}";

    private static HttpResponseMessage JsonResponse(object body, HttpStatusCode status) => new(status)
    {
        Content = new StringContent(JsonSerializer.Serialize(body, JsonNaming.Options), Encoding.UTF8, "application/json"),
    };
}

public sealed record RecordedRequest(HttpMethod Method, string Path, System.Collections.Specialized.NameValueCollection Query, string? Body, string? Authorization)
{
    public JsonElement Json => JsonDocument.Parse(Body ?? "null").RootElement;
}
