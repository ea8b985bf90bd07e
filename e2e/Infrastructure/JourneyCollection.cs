namespace Gateway.E2E.Tests.Infrastructure;

/// <summary>
/// The journeys on the default run's system (change control off), one after the other: one browser
/// and four services on a 2-core machine. The system starts when the collection's first journey
/// runs and stops after its last; no other collection runs meanwhile (each is one whole system).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class JourneyCollection : ICollectionFixture<GatewaySystem>
{
    public const string Name = "Journeys";
}
