namespace Gateway.Contracts.Keys;

/// <summary>
/// The fixed demo key of the default run, documented in the README. It is loaded only by the
/// default run's demo snapshot and seed data; production never knows it.
/// </summary>
public static class DemoKeys
{
    public const string KeyId = "demo00000001";
    public const string Key = "sk-gw-demo00000001_DemoKeyForTheDefaultRunOnlyNotASecret000";
}
