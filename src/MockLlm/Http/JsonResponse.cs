using System.Text.Json;

namespace Gateway.MockLlm.Http;

/// <summary>A JSON response body written with <see cref="Utf8JsonWriter"/> straight to the body pipe.</summary>
internal static class JsonResponse
{
    public static Utf8JsonWriter Start(HttpContext context, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return new Utf8JsonWriter(context.Response.BodyWriter, JsonWriting.Options);
    }

    /// <summary>Flushes and disposes <paramref name="json"/>; false when the client is gone.</summary>
    public static async Task<bool> FinishAsync(HttpContext context, Utf8JsonWriter json)
    {
        await using (json)
        {
            json.Flush();
            if (context.RequestAborted.IsCancellationRequested) return false;
            try
            {
                var result = await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
                return !result.IsCanceled && !result.IsCompleted;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            catch (IOException)
            {
                return false;
            }
        }
    }
}
