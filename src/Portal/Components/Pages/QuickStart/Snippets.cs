using Gateway.Contracts.Snapshot;

namespace Gateway.Portal.Components.Pages.QuickStart;

/// <summary>
/// Copy-paste starters against the proxy, for the chosen model: curl, Python's <c>openai</c> and
/// .NET's <c>OpenAI</c> package. The key comes from the environment, never from the page.
/// </summary>
internal static class Snippets
{
    public const string KeyVariable = "GATEWAY_API_KEY";

    public static string Curl(string proxyUrl, string model, ModelKind kind) => kind == ModelKind.Embeddings
        ? $$"""
            curl {{Base(proxyUrl)}}/v1/embeddings \
              -H "Authorization: Bearer ${{KeyVariable}}" \
              -H "Content-Type: application/json" \
              -d '{"model": "{{model}}", "input": "The quick brown fox"}'
            """
        : $$"""
            curl {{Base(proxyUrl)}}/v1/chat/completions \
              -H "Authorization: Bearer ${{KeyVariable}}" \
              -H "Content-Type: application/json" \
              -d '{"model": "{{model}}", "messages": [{"role": "user", "content": "Hello"}]}'
            """;

    public static string Python(string proxyUrl, string model, ModelKind kind) => kind == ModelKind.Embeddings
        ? $$"""
            # pip install openai
            import os
            from openai import OpenAI

            client = OpenAI(base_url="{{Base(proxyUrl)}}/v1", api_key=os.environ["{{KeyVariable}}"])
            result = client.embeddings.create(model="{{model}}", input="The quick brown fox")
            print(len(result.data[0].embedding))
            """
        : $$"""
            # pip install openai
            import os
            from openai import OpenAI

            client = OpenAI(base_url="{{Base(proxyUrl)}}/v1", api_key=os.environ["{{KeyVariable}}"])
            reply = client.chat.completions.create(
                model="{{model}}",
                messages=[{"role": "user", "content": "Hello"}],
            )
            print(reply.choices[0].message.content)
            """;

    public static string DotNet(string proxyUrl, string model, ModelKind kind) => kind == ModelKind.Embeddings
        ? $$"""
            // dotnet add package OpenAI
            using System.ClientModel;
            using OpenAI;
            using OpenAI.Embeddings;

            var options = new OpenAIClientOptions { Endpoint = new Uri("{{Base(proxyUrl)}}/v1") };
            var key = new ApiKeyCredential(Environment.GetEnvironmentVariable("{{KeyVariable}}")!);
            EmbeddingClient client = new("{{model}}", key, options);
            OpenAIEmbedding embedding = await client.GenerateEmbeddingAsync("The quick brown fox");
            Console.WriteLine(embedding.ToFloats().Length);
            """
        : $$"""
            // dotnet add package OpenAI
            using System.ClientModel;
            using OpenAI;
            using OpenAI.Chat;

            var options = new OpenAIClientOptions { Endpoint = new Uri("{{Base(proxyUrl)}}/v1") };
            var key = new ApiKeyCredential(Environment.GetEnvironmentVariable("{{KeyVariable}}")!);
            ChatClient client = new("{{model}}", key, options);
            ChatCompletion reply = await client.CompleteChatAsync("Hello");
            Console.WriteLine(reply.Content[0].Text);
            """;

    private static string Base(string proxyUrl) => proxyUrl.TrimEnd('/');
}
