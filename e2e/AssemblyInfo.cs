using Gateway.E2E.Tests.Infrastructure;

// One system start for every journey.
[assembly: AssemblyFixture(typeof(GatewaySystem))]
