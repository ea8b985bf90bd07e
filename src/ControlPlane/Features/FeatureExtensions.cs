using Gateway.ControlPlane.Features.AccessRequests;
using Gateway.ControlPlane.Features.ApiKeys;
using Gateway.ControlPlane.Features.Audit;
using Gateway.ControlPlane.Features.Catalog;
using Gateway.ControlPlane.Features.ChangeControl;
using Gateway.ControlPlane.Features.Chargeback;
using Gateway.ControlPlane.Features.Me;
using Gateway.ControlPlane.Features.Notifications;
using Gateway.ControlPlane.Features.Providers;
using Gateway.ControlPlane.Features.ProxyNodes;
using Gateway.ControlPlane.Features.Snapshots;
using Gateway.ControlPlane.Features.Subscriptions;
using Gateway.ControlPlane.Features.Teams;
using Gateway.ControlPlane.Features.Usage;

namespace Gateway.ControlPlane.Features;

/// <summary>Each feature's one Add/Map line.</summary>
internal static class FeatureExtensions
{
    /// <summary>gRPC messages: a 100,000-key snapshot is tens of MB before compression.</summary>
    public const int MaxGrpcMessageBytes = 64 * 1024 * 1024;

    public static WebApplicationBuilder AddControlPlaneFeatures(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SnapshotOptions>().BindConfiguration(SnapshotOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SnapshotSigner>();
        builder.Services.AddSingleton<SnapshotHub>();
        builder.Services.AddSingleton<RevisionSignal>();
        builder.Services.AddSingleton<SnapshotPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SnapshotPublisher>());
        builder.Services.AddHostedService<Audit.AuditHeadLog>();
        builder.Services.AddSingleton<PendingChanges>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PendingChanges>());
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        builder.Services.AddScoped<UsageLedger>();
        builder.Services.AddGrpc(o =>
        {
            o.MaxSendMessageSize = MaxGrpcMessageBytes;
            o.MaxReceiveMessageSize = 16 * 1024 * 1024;
            o.EnableDetailedErrors = builder.Environment.IsDevelopment();
        });
        return builder;
    }

    public static WebApplication MapControlPlaneFeatures(this WebApplication app)
    {
        app.MapMeEndpoints();
        app.MapTeamEndpoints();
        app.MapProviderEndpoints();
        app.MapCatalogEndpoints();
        app.MapAccessRequestEndpoints();
        app.MapSubscriptionEndpoints();
        app.MapApiKeyEndpoints();
        app.MapUsageEndpoints();
        app.MapChargebackEndpoints();
        app.MapAuditEndpoints();
        app.MapChangeEndpoints();
        app.MapProxyNodeEndpoints();
        app.MapWebhookEndpoints();
        app.MapGrpcService<SnapshotFeedService>();
        app.MapGrpcService<UsageIngestionService>();
        return app;
    }
}
