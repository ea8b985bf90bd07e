using System.Net;
using System.Net.Http.Headers;

namespace Gateway.Bench.LoadGen;

/// <summary>One HTTP client for a whole run: pooled connections, no proxies, no decompression.</summary>
internal static class Http
{
    public static HttpClient CreateClient(int maxConnections) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxConnectionsPerServer = maxConnections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        // A response disposed before its end closes the connection: without this, HttpClient
        // drains up to 1 MB of the rest to reuse the connection, and an "abandoned" stream would
        // be read to its end (the gateway would rightly meter it as completed).
        MaxResponseDrainSize = 0,
    })
    {
        Timeout = TimeSpan.FromMinutes(5),
    };

    public static HttpRequestMessage NewRequest(Uri url, byte[] body, IReadOnlyList<(string Name, string Value)> headers, int index)
    {
        var request = new HttpRequestMessage(body.Length == 0 ? HttpMethod.Get : HttpMethod.Post, url)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (body.Length > 0)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value.Replace("{i}", index.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }
        return request;
    }
}
