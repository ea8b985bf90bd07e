using System.ClientModel;
using System.Diagnostics;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.E2E.Tests.Infrastructure;

/// <summary>Real calls through the proxy with the OpenAI .NET SDK, as an application would make them.</summary>
internal static class ProxyClient
{
    public static ChatClient Chat(GatewaySystem system, string model, string key) =>
        new(model, new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(system.ProxyUrl, "/v1"), NetworkTimeout = TimeSpan.FromSeconds(30) });

    /// <summary>
    /// Calls until the proxy accepts the key: a new key reaches the proxy with the next snapshot
    /// (well under a second on an idle machine), so early calls may still be refused. Bounded.
    /// <paramref name="untilNot"/>: the status to wait out (401 for a new key, 503 for a provider resumed).
    /// </summary>
    public static async Task<ChatCompletion> CompleteOnceAcceptedAsync(ChatClient client, string prompt, TimeSpan within, CancellationToken ct, int untilNot = 401)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return (await client.CompleteChatAsync([new UserChatMessage(prompt)], cancellationToken: ct)).Value;
            }
            catch (ClientResultException ex) when (ex.Status == untilNot && clock.Elapsed < within)
            {
                await Task.Delay(250, ct);
            }
        }
    }

    /// <summary>The status the proxy answers once it refuses the call (a key revoked, a provider suspended), waiting for the change to arrive. Bounded.</summary>
    public static async Task<int> StatusOnceRefusedAsync(ChatClient client, TimeSpan within, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await client.CompleteChatAsync([new UserChatMessage("still there?")], cancellationToken: ct);
                if (clock.Elapsed > within) return 200;
                await Task.Delay(250, ct);
            }
            catch (ClientResultException ex)
            {
                return ex.Status;
            }
        }
    }
}
