namespace Gateway.MockLlm;

/// <summary>Builds the MockLlm web application; tests start it on 127.0.0.1 port 0 with <c>--urls</c>.</summary>
internal static class MockLlmApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddMockLlm();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseMockLlm();
        app.MapDefaultEndpoints();
        app.MapMockLlm();
        return app;
    }
}
