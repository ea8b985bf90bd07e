using System.Text.Json.Serialization;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.DefaultRun;
using Gateway.ControlPlane.Features;
using Gateway.ControlPlane.Features.Identity;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace Gateway.ControlPlane;

/// <summary>Builds the control plane; used by <c>Program.cs</c> and by tests (real Kestrel on port 0).</summary>
internal static partial class ControlPlaneApp
{
    /// <summary>The sign-in page's content security policy: inline styles and nothing else.</summary>
    internal const string SignInPagePolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (builder.Environment.IsDevelopment() && builder.Configuration["ControlPlane:DefaultRun:Enabled"] is null)
        {
            builder.Configuration["ControlPlane:DefaultRun:Enabled"] = "true";
        }
        configure?.Invoke(builder);
        if (builder.Configuration.GetValue<bool>("ControlPlane:DefaultRun:Enabled") && builder.Configuration["ControlPlane:Identity:RequireHttps"] is null)
        {
            // The default run is plain HTTP on localhost; production keeps the HTTPS requirement.
            builder.Configuration["ControlPlane:Identity:RequireHttps"] = "false";
        }

        builder.AddGrpcListener();
        builder.AddServiceDefaults(o => o.Meters.Add(ControlPlaneMetrics.MeterName));
        builder.Services.AddOptions<ControlPlaneOptions>().BindConfiguration(ControlPlaneOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<StartupInitializer>();
        builder.AddGatewayDatabase();
        builder.AddGatewayIdentity();
        builder.Services.AddGatewayPolicies();
        builder.Services.AddScoped<DemoSeed>();
        builder.Services.AddSingleton<ControlPlaneMetrics>();
        builder.Services.AddSingleton<Features.Audit.AuditAccessLog>();
        builder.Services.AddSingleton<SignInLog>();
        DataProtectionKeys.Configure(builder);

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.RespectNullableAnnotations = true;
            o.SerializerOptions.RespectRequiredConstructorParameters = true;
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        });
        builder.Services.AddOpenApi();
        builder.AddControlPlaneFeatures();

        var app = builder.Build();
        // The sign-in page is the one a phishing frame would want: never framed, and it loads
        // nothing (no script at all; its styles are inline).
        app.UseSecurityHeaders(SignInPagePolicy, c => c.Request.Path.StartsWithSegments("/account"));
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api => api.Use((context, next) =>
        {
            var limit = context.RequestServices.GetRequiredService<IOptions<ControlPlaneOptions>>().Value.MaxRequestBodyBytes;
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
            if (context.Request.ContentLength > limit) throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
            return next(context);
        }));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api => api.Use(PlainText.GuardAsync));

        app.MapDefaultEndpoints();
        // The API's description (OpenAPI document and Scalar page) is anonymous: published on the
        // default run, and elsewhere only when asked for (ControlPlane:PublishApiReference).
        if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>("ControlPlane:PublishApiReference"))
        {
            app.MapOpenApi();
            app.MapScalarApiReference();
        }
        app.MapGatewayIdentity();
        app.MapControlPlaneFeatures();
        return app;
    }
}
