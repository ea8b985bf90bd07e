using Gateway.ControlPlane.Data;

namespace Gateway.ControlPlane;

/// <summary>Builds the control plane; used by <c>Program.cs</c> and by tests (real Kestrel on port 0).</summary>
internal static partial class ControlPlaneApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddServiceDefaults();
        builder.AddGatewayDatabase();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        return app;
    }
}
