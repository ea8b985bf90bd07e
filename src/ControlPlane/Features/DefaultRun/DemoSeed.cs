using Gateway.Contracts.Admin;
using Gateway.Contracts.Demo;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Keys;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.ApiKeys;
using Gateway.ControlPlane.Features.Catalog;
using Gateway.ControlPlane.Features.Identity;
using Gateway.ControlPlane.Features.Providers;
using Gateway.ControlPlane.Features.Subscriptions;
using Gateway.ControlPlane.Features.Teams;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Features.DefaultRun;

/// <summary>
/// The default run's demo world, from <see cref="DemoCatalog"/> (the same source as the proxy's
/// standalone demo snapshot): teams, providers at MockLlm, models, the demo team's subscriptions,
/// the demo key by its hash, and one demo user per role. Runs once, on an empty database.
/// </summary>
internal sealed partial class DemoSeed(GatewayDbContext db, UserManager<GatewayUser> users, TimeProvider time, ILogger<DemoSeed> logger)
{
    /// <summary>The password of every demo user (documented in the README; default run only).</summary>
    public const string DemoPassword = "Demo-Pass-1!";

    public static readonly IReadOnlyList<DemoUser> Users =
    [
        new("dev@demo.bank", "Dana Developer", [GatewayRoles.Developer], DemoCatalog.TeamId, TeamRole.Owner),
        new("dev2@demo.bank", "Devon Developer", [GatewayRoles.Developer], DemoCatalog.OtherTeamId, TeamRole.Member),
        new("approver@demo.bank", "Avery Approver", [GatewayRoles.Approver, GatewayRoles.Developer], DemoCatalog.OtherTeamId, TeamRole.Member),
        new("finance@demo.bank", "Frankie Finance", [GatewayRoles.FinanceAnalyst], null, TeamRole.Member),
        new("admin@demo.bank", "Alex Admin", [GatewayRoles.PlatformAdmin], null, TeamRole.Member),
    ];

    public async Task SeedAsync(string mockLlmUrl, CancellationToken cancellationToken)
    {
        if (await db.Teams.AnyAsync(cancellationToken)) return;
        var change = db.BeginChange(Actor.System, time);
        var now = change.Now;

        foreach (var t in DemoCatalog.Teams)
        {
            db.Teams.Add(new Team
            {
                Id = t.Id, Name = t.Name, CostCentre = t.CostCentre, CreatedAt = now,
                RequestsPerMinute = t.Limits?.RequestsPerMinute, TokensPerMinute = t.Limits?.TokensPerMinute, MaxConcurrent = t.Limits?.MaxConcurrent,
            });
        }
        foreach (var p in DemoCatalog.Providers(mockLlmUrl.TrimEnd('/')))
        {
            db.Providers.Add(new Provider
            {
                Id = p.Id, Kind = p.Kind, BaseUrl = p.BaseUrl, CredentialRef = p.CredentialRef, ApiVersion = p.ApiVersion, CreatedAt = now,
                ConnectTimeoutSeconds = p.ConnectTimeoutSeconds, FirstByteTimeoutSeconds = p.FirstByteTimeoutSeconds, StreamIdleTimeoutSeconds = p.StreamIdleTimeoutSeconds,
            });
        }
        for (var i = 0; i < DemoCatalog.Models.Count; i++)
        {
            db.Models.Add(CatalogMapping.ToEntity(DemoCatalog.Models[i], i, now));
        }
        foreach (var s in DemoCatalog.Subscriptions)
        {
            db.Subscriptions.Add(new Subscription
            {
                Id = s.Id, TeamId = s.TeamId, ModelAlias = s.ModelAlias, PinnedVersion = s.PinnedVersion,
                RequestsPerMinute = s.Limits?.RequestsPerMinute, TokensPerMinute = s.Limits?.TokensPerMinute, MaxConcurrent = s.Limits?.MaxConcurrent,
                MonthlyTokens = s.Budget?.MonthlyTokens, MonthlyAmount = s.Budget?.MonthlyAmount, Currency = s.Budget?.Currency,
                OverLimit = s.OverLimit, MaxOutputTokens = s.MaxOutputTokens, EndsAt = s.EndsAt,
                Status = SubscriptionStatus.Active, CreatedAt = now, ApprovedBy = Actor.System.Id,
            });
        }
        var key = DemoCatalog.DemoKey;
        db.ApiKeys.Add(new ApiKey
        {
            KeyId = key.KeyId, Hash = key.Hash, DisplayPrefix = ApiKeyFormat.DisplayPrefix(DemoKeys.Key), TeamId = key.TeamId,
            Application = key.Application, ExpiresAt = key.ExpiresAt, Status = key.Status, CreatedAt = now, CreatedBy = Actor.System.Id,
            Subscriptions = [.. key.SubscriptionIds.Select(id => new ApiKeySubscription { KeyId = key.KeyId, SubscriptionId = id })],
        });
        change.Audit("system.seedDemo", "system", "default-run", null, new { teams = DemoCatalog.Teams.Count, models = DemoCatalog.Models.Count, keys = 1 });
        await change.CommitAsync(bumpsRevision: true, cancellationToken);

        foreach (var u in Users) await CreateUserAsync(u, now, cancellationToken);
        LogSeeded(logger, DemoCatalog.Teams.Count, DemoCatalog.Models.Count, Users.Count);
    }

    private async Task CreateUserAsync(DemoUser demo, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var user = new GatewayUser { UserName = demo.Email, Email = demo.Email, EmailConfirmed = true, DisplayName = demo.DisplayName, CreatedAt = now };
        var result = await users.CreateAsync(user, DemoPassword);
        if (!result.Succeeded) throw new InvalidOperationException($"Could not seed {demo.Email}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        await users.AddToRolesAsync(user, demo.Roles);
        if (demo.TeamId is not null)
        {
            db.TeamMembers.Add(new TeamMember { TeamId = demo.TeamId, UserId = user.Id, Role = demo.TeamRole, AddedAt = now });
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Seeded the default run: {Teams} teams, {Models} models, {Users} demo users")]
    private static partial void LogSeeded(ILogger logger, int teams, int models, int users);
}

internal sealed record DemoUser(string Email, string DisplayName, IReadOnlyList<string> Roles, string? TeamId, TeamRole TeamRole);
