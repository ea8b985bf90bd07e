using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Contracts.Admin;

namespace Gateway.Portal.Api;

/// <summary>
/// Base of the typed clients of the control plane's admin API: adds the user's bearer token to
/// each request and turns every failure into an <see cref="ApiException"/> carrying the API's
/// problem details (or a plain "unreachable"), never a raw exception.
/// </summary>
internal abstract class ApiClient(HttpClient http, IAccessTokenSource tokens)
{
    protected Task<T> GetAsync<T>(string path, object? query, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Get, QueryString.Build(path, query), null, cancellationToken);

    protected async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, body, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    protected async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, body, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    /// <summary>
    /// A catalog, provider or role change, which the control plane may hold for a second platform admin
    /// (change control): 202 Accepted with the pending change, else the call's own answer.
    /// </summary>
    protected async Task<ChangeOutcome<T>> ProposeAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, body, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return response.StatusCode == HttpStatusCode.Accepted
            ? new ChangeOutcome<T>(default, await ReadAsync<ChangeDto>(response, cancellationToken))
            : new ChangeOutcome<T>(await ReadAsync<T>(response, cancellationToken), null);
    }

    /// <summary>A change with no answer of its own (a DELETE): applied (2xx), or held for a second platform admin (202).</summary>
    protected async Task<ChangeOutcome> ProposeAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, body, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return response.StatusCode == HttpStatusCode.Accepted
            ? new ChangeOutcome(await ReadAsync<ChangeDto>(response, cancellationToken))
            : ChangeOutcome.Applied;
    }

    /// <summary>Sends a request; the caller disposes the successful response (e.g. to stream its body).</summary>
    protected async Task<HttpResponseMessage> SendRawAsync(
        HttpMethod method, string path, object? body, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAccessTokenAsync(cancellationToken));
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: JsonNaming.Options);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw ApiException.Unreachable(ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw ApiException.Unreachable(ex);
        }
        catch (Polly.Timeout.TimeoutRejectedException ex)
        {
            throw ApiException.Unreachable(ex);
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException ex)
        {
            throw ApiException.Unreachable(ex);
        }

        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            throw await ProblemReader.ReadAsync(response, cancellationToken);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(JsonNaming.Options, cancellationToken)
                ?? throw new ApiException(502, "The control plane sent an empty answer", null);
        }
        catch (JsonException ex)
        {
            throw new ApiException(502, "The control plane sent an answer the Portal cannot read", ex.Message);
        }
    }
}
