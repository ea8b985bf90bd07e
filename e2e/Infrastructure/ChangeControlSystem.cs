namespace Gateway.E2E.Tests.Infrastructure;

/// <summary>
/// The whole gateway with change control on (<c>ChangeControl:RequireSecondAdmin</c>): catalog and
/// provider changes wait for a second platform admin. A system of its own, because the other
/// journeys change the catalog directly.
/// </summary>
public sealed class ChangeControlSystem() : GatewaySystem(["--ChangeControl:RequireSecondAdmin=true"]);

/// <summary>The journeys on <see cref="ChangeControlSystem"/>; like <see cref="JourneyCollection"/>, never beside another system.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChangeControlCollection : ICollectionFixture<ChangeControlSystem>
{
    public const string Name = "Change control journeys";
}
