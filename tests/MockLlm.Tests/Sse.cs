using System.Text.Json;

namespace Gateway.MockLlm.Tests;

/// <summary>A minimal SSE reader for raw-wire assertions.</summary>
public static class Sse
{
    public sealed record Event(string? Name, string Data)
    {
        public JsonElement Json => JsonDocument.Parse(Data).RootElement;
    }

    public static async Task<List<Event>> ReadAllAsync(HttpResponseMessage response, int? stopAfter = null)
    {
        var events = new List<Event>();
        await foreach (var e in ReadAsync(response))
        {
            events.Add(e);
            if (stopAfter is { } n && events.Count >= n) break;
        }
        return events;
    }

    public static async IAsyncEnumerable<Event> ReadAsync(HttpResponseMessage response)
    {
        using var stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream);
        string? name = null;
        string? data = null;
        while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null) yield return new Event(name, data);
                name = null;
                data = null;
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
        }
    }
}
