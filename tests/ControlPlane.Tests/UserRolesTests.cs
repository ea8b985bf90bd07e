using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.ControlPlane.Tests.Infrastructure;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// Roles are granted by a platform admin to someone else, never to oneself (segregation of
/// duties: an admin cannot make themselves an approver or a finance analyst), each change audited
/// with the roles before and after; giving a role up is allowed, the last PlatformAdmin role of
/// one's own excepted. On a control plane of its own, since it changes who may do what.
/// </summary>
public abstract class UserRolesTests(ControlPlaneFixture fixture)
{
    [Fact]
    public async Task AnAdminGrantsRolesToOthers_NeverToThemselves_AndEveryChangeIsAudited()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var users = (await (await admin.Get("/api/users?pageSize=100")).ReadAsync<PagedResult<UserDto>>()).Items;
        var me = users.Single(u => u.Email == "admin@demo.bank");
        var dev2 = users.Single(u => u.Email == "dev2@demo.bank");

        // Granting oneself a role: refused, nothing changes, nothing is audited.
        var head = (await (await admin.Get("/api/audit/head")).ReadAsync<AuditHeadDto>()).Sequence;
        var problem = await (await admin.PutJsonAsync($"/api/users/{me.Id}/roles", new SetUserRolesRequest([GatewayRoles.PlatformAdmin, GatewayRoles.FinanceAnalyst])))
            .ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("another platform admin", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal([GatewayRoles.PlatformAdmin], await RolesOfAsync(admin, "admin@demo.bank"));
        Assert.Equal(head, (await (await admin.Get("/api/audit/head")).ReadAsync<AuditHeadDto>()).Sequence);

        // Granting another user roles: done, and audited with before and after.
        var granted = await (await admin.PutJsonAsync($"/api/users/{dev2.Id}/roles", new SetUserRolesRequest([GatewayRoles.Developer, GatewayRoles.PlatformAdmin])))
            .ReadAsync<UserDto>();
        Assert.Equal([GatewayRoles.Developer, GatewayRoles.PlatformAdmin], granted.Roles);
        Assert.Equal([GatewayRoles.Developer, GatewayRoles.PlatformAdmin], await RolesOfAsync(admin, "dev2@demo.bank"));
        var audited = (await (await admin.Get($"/api/audit?action=user.roles&targetId={dev2.Id}")).ReadAsync<PagedResult<AuditEventDto>>()).Items.Single();
        Assert.Contains(GatewayRoles.PlatformAdmin, audited.After, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayRoles.PlatformAdmin, audited.Before, StringComparison.Ordinal);

        // The new admin, signed in afresh, may give a role up but not take one.
        using var second = await fixture.ClientAsAsync("dev2@demo.bank");
        await (await second.PutJsonAsync($"/api/users/{dev2.Id}/roles", new SetUserRolesRequest([GatewayRoles.PlatformAdmin, GatewayRoles.Approver])))
            .ProblemAsync(HttpStatusCode.Conflict);
        var given = await (await second.PutJsonAsync($"/api/users/{dev2.Id}/roles", new SetUserRolesRequest([GatewayRoles.PlatformAdmin]))).ReadAsync<UserDto>();
        Assert.Equal([GatewayRoles.PlatformAdmin], given.Roles);
        await (await second.PutJsonAsync($"/api/users/{dev2.Id}/roles", new SetUserRolesRequest([]))).ProblemAsync(HttpStatusCode.Conflict);
        // …and may grant the first admin what the first could not take.
        var other = await (await second.PutJsonAsync($"/api/users/{me.Id}/roles", new SetUserRolesRequest([GatewayRoles.PlatformAdmin, GatewayRoles.FinanceAnalyst]))).ReadAsync<UserDto>();
        Assert.Equal([GatewayRoles.FinanceAnalyst, GatewayRoles.PlatformAdmin], other.Roles);

        var verified = await (await admin.Get("/api/audit/verify")).ReadAsync<AuditVerificationDto>();
        Assert.True(verified.Valid, verified.Reason);
    }

    private static async Task<IReadOnlyList<string>> RolesOfAsync(HttpClient admin, string email) =>
        (await (await admin.Get("/api/users?pageSize=100")).ReadAsync<PagedResult<UserDto>>()).Items.Single(u => u.Email == email).Roles;
}

[CollectionDefinition(Name)]
public sealed class UserRolesSqliteCollection : ICollectionFixture<SqliteFixture>
{
    public const string Name = "ControlPlane on SQLite, for role changes";
}

[CollectionDefinition(Name)]
public sealed class UserRolesPostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "ControlPlane on PostgreSQL, for role changes";
}

[Collection(UserRolesSqliteCollection.Name)]
public sealed class UserRolesTests_Sqlite(SqliteFixture fixture) : UserRolesTests(fixture);

[Collection(UserRolesPostgresCollection.Name)]
public sealed class UserRolesTests_Postgres(PostgresFixture fixture) : UserRolesTests(fixture);
