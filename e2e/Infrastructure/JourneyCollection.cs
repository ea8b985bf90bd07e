namespace Gateway.E2E.Tests.Infrastructure;

/// <summary>The journeys run one after the other: one browser and four services on a 2-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class JourneyCollection
{
    public const string Name = "Journeys";
}
