using Gateway.MockLlm.Anthropic;
using Gateway.MockLlm.Azure;
using Gateway.MockLlm.Generation;
using Gateway.MockLlm.Http;
using Gateway.MockLlm.KServe;
using Gateway.MockLlm.OpenAI;
using Gateway.MockLlm.Realtime;
using Gateway.MockLlm.Tally;

namespace Gateway.MockLlm;

internal static class MockLlmExtensions
{
    public static WebApplicationBuilder AddMockLlm(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MockLlmOptions>()
            .BindConfiguration(MockLlmOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TokenCounter>();
        builder.Services.AddSingleton<Vocabulary>();
        builder.Services.AddSingleton<CompletionFactory>();
        builder.Services.AddSingleton<TallyStore>();
        builder.Services.AddSingleton<ApiKeys>();
        builder.Services.AddSingleton<MockLlmCore>();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // A dropped stream ends short of its declared Content-Length on purpose: Kestrel reports that
        // as an application error, which here is the knob working, not a fault.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Critical);
        // Unbuffered writes (MockLlm:UnbufferedWrites, default off: it halves JSON throughput): a
        // flush completes only once the socket took the bytes, so a client abort leaves in the tally
        // exactly what reached the socket.
        if (builder.Configuration.GetValue($"{MockLlmOptions.Section}:{nameof(MockLlmOptions.UnbufferedWrites)}", false))
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxResponseBufferSize = 0);
            builder.WebHost.UseSockets(sockets => sockets.MaxWriteBufferSize = 2);
        }
        return builder;
    }

    /// <summary>The request id and exception guard outermost, provider-shaped 404/405, WebSockets for realtime.</summary>
    public static WebApplication UseMockLlm(this WebApplication app)
    {
        // Build the tokenizer and vocabulary now, not on the first request.
        app.Services.GetRequiredService<Vocabulary>();
        app.UseMiddleware<MockPipelineMiddleware>();
        app.UseStatusCodePages(StatusPages.WriteAsync);
        app.UseWebSockets();
        return app;
    }

    public static WebApplication MapMockLlm(this WebApplication app)
    {
        app.MapOpenAI();
        app.MapAzure();
        app.MapAnthropic();
        app.MapRealtime();
        app.MapKServe();
        app.MapTally();
        return app;
    }
}
