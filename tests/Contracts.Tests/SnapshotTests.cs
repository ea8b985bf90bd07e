using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Contracts.Keys;
using Gateway.Contracts.Snapshot;

namespace Gateway.Contracts.Tests;

public sealed class SnapshotTests
{
    internal static GatewaySnapshot Valid() => new()
    {
        Revision = 7,
        IssuedAt = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
        Providers = [new ProviderSpec("mock", ProviderKind.OpenAI, "http://localhost:5089")],
        Models =
        [
            new ModelSpec("gpt-4o", ModelKind.Chat, "gpt-4o-2024-08-06",
            [
                new ModelVersionSpec("gpt-4o-2024-08-06", VersionStatus.Ga, new PriceSpec(2.5m, 1.25m, 10m, "USD"),
                    [new DeploymentSpec("d1", "mock", "gpt-4o-2024-08-06")]),
                new ModelVersionSpec("gpt-4o-2024-11-20", VersionStatus.Preview, new PriceSpec(2.5m, 1.25m, 10m, "USD"),
                    [new DeploymentSpec("d2", "mock", "gpt-4o-2024-11-20")]),
            ])
            { Canary = new CanarySpec("gpt-4o-2024-11-20", 10) },
        ],
        Teams = [new TeamSpec("team-a", "Team A", "CC-100")],
        Subscriptions = [new SubscriptionSpec("sub-1", "team-a", "gpt-4o") { Limits = new LimitSpec(60, 10_000, 5) }],
        Keys = [new ApiKeySpec(DemoKeys.KeyId, ApiKeyFormat.HashToHex(DemoKeys.Key), "team-a", "demo-app", DateTimeOffset.MaxValue, ["sub-1"])],
    };

    [Fact]
    public void Validate_AcceptsAConsistentSnapshot()
    {
        Assert.Empty(SnapshotValidator.Validate(Valid()));
    }

    [Fact]
    public void Json_RoundTripsWithWireNames()
    {
        var bytes = SnapshotJson.SerializeToUtf8Bytes(Valid());
        var text = System.Text.Encoding.UTF8.GetString(bytes);

        Assert.Contains("\"kind\":\"openai\"", text, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"ga\"", text, StringComparison.Ordinal);
        var back = SnapshotJson.Deserialize(bytes);
        Assert.Equal(7, back.Revision);
        Assert.Equal("gpt-4o-2024-11-20", back.Models[0].Canary!.Version);
        Assert.Equal(2.5m, back.Models[0].Versions[0].Prices.InputPerMillion);
    }

    [Fact]
    public void Json_MissingRequiredField_NamesThePath()
    {
        const string json = """{"revision":1,"teams":[{"id":"t","name":"T"}]}""";

        var ex = Assert.Throws<JsonException>(() => SnapshotJson.Deserialize(System.Text.Encoding.UTF8.GetBytes(json)));

        Assert.Contains("costCentre", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_UnknownEnumValue_IsAnError()
    {
        const string json = """{"revision":1,"providers":[{"id":"p","kind":"gopher","baseUrl":"http://x"}]}""";

        var ex = Assert.Throws<JsonException>(() => SnapshotJson.Deserialize(System.Text.Encoding.UTF8.GetBytes(json)));

        Assert.Contains("$.providers[0].kind", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NamesEveryBrokenReference()
    {
        var s = Valid();
        var broken = s with
        {
            Subscriptions = [s.Subscriptions[0] with { ModelAlias = "nope" }],
            Keys = [s.Keys[0] with { TeamId = "ghost", SubscriptionIds = ["sub-x"] }],
            Models = [s.Models[0] with { DefaultVersion = "missing" }],
        };

        var paths = SnapshotValidator.Validate(broken).Select(e => e.Path).ToList();

        Assert.Contains("subscriptions[0].modelAlias", paths);
        Assert.Contains("keys[0].teamId", paths);
        Assert.Contains("keys[0].subscriptionIds[0]", paths);
        Assert.Contains("models[0].defaultVersion", paths);
    }

    [Theory]
    [InlineData("sk-live-secret")]
    [InlineData("env:")]
    [InlineData("env:HAS SPACE")]
    [InlineData("file:relative")]
    public void Validate_RejectsCredentialThatIsNotAReference(string credential)
    {
        var s = Valid();
        var bad = s with { Providers = [s.Providers[0] with { CredentialRef = credential }] };

        var error = Assert.Single(SnapshotValidator.Validate(bad));

        Assert.Equal("providers[0].credentialRef", error.Path);
    }

    [Fact]
    public void Validate_RejectsAKeyNetworkThatIsNotOne()
    {
        var s = Valid();
        var good = s with { Keys = [s.Keys[0] with { AllowedNetworks = ["10.20.0.0/16", "2001:db8::/48"] }] };
        Assert.Empty(SnapshotValidator.Validate(good));

        var bad = s with { Keys = [s.Keys[0] with { AllowedNetworks = ["10.20.0.0/16", "10.20.0.1/16"] }] };
        Assert.Equal("keys[0].allowedNetworks[1]", Assert.Single(SnapshotValidator.Validate(bad)).Path);
    }

    [Fact]
    public void Validate_RejectsOutOfRangeValues()
    {
        var s = Valid();
        var model = s.Models[0];
        var bad = s with
        {
            Models = [model with
            {
                Canary = new CanarySpec("gpt-4o-2024-11-20", 101),
                Versions = [model.Versions[0] with { Prices = new PriceSpec(-1, 0, 0, "usd") }, model.Versions[1]],
            }],
            Subscriptions = [s.Subscriptions[0] with { Limits = new LimitSpec(RequestsPerMinute: 0) }],
        };

        var paths = SnapshotValidator.Validate(bad).Select(e => e.Path).ToList();

        Assert.Contains("models[0].canary.percent", paths);
        Assert.Contains("models[0].versions[0].prices.inputPerMillion", paths);
        Assert.Contains("models[0].versions[0].prices.currency", paths);
        Assert.Contains("subscriptions[0].limits.requestsPerMinute", paths);
    }

    [Theory]
    [InlineData("providers", "providers[1]")]
    [InlineData("models", "models[1]")]
    [InlineData("versions", "models[0].versions[2]")]
    [InlineData("deployments", "models[0].versions[0].deployments[1]")]
    [InlineData("teams", "teams[1]")]
    [InlineData("subscriptions", "subscriptions[1]")]
    [InlineData("keys", "keys[1]")]
    [InlineData("subscriptionIds", "keys[0].subscriptionIds[1]")]
    public void Validate_NamesANullInAList_InsteadOfThrowing(string list, string path)
    {
        // JSON's nulls in a list pass the deserializer (its nullability checks are for properties, not elements).
        var root = System.Text.Json.Nodes.JsonNode.Parse(SnapshotJson.SerializeToUtf8Bytes(Valid()))!;
        var array = list switch
        {
            "versions" => root["models"]![0]!["versions"]!,
            "deployments" => root["models"]![0]!["versions"]![0]!["deployments"]!,
            "subscriptionIds" => root["keys"]![0]!["subscriptionIds"]!,
            _ => root[list]!,
        };
        array.AsArray().Add(null);
        var withNull = root.ToJsonString();
        var snapshot = SnapshotJson.Deserialize(System.Text.Encoding.UTF8.GetBytes(withNull));

        var errors = SnapshotValidator.Validate(snapshot);

        Assert.Contains(errors, e => e.Path == path && e.Message == "must not be null");
    }

    [Theory]
    [InlineData("gpt-4o\r\nX-Injected: 1")]
    [InlineData("a\"b")]
    [InlineData("")]
    public void Validate_RejectsASuccessorThatIsNotAVersionName(string successor)
    {
        // The successor goes into a Link header and a URL: one with a line break or a quote made the request fail.
        var s = Valid();
        var model = s.Models[0];
        var bad = s with { Models = [model with { Versions = [model.Versions[0] with { Successor = successor }, model.Versions[1]] }] };

        Assert.Contains(SnapshotValidator.Validate(bad), e => e.Path == "models[0].versions[0].successor");
    }

    [Fact]
    public void AContentGuard_RoundTrips_AndABrokenOneIsNamed()
    {
        var s = Valid();
        var model = s.Models[0];
        var guard = new ContentGuardSpec(GuardAction.Redact, [ContentDetector.PaymentCard, ContentDetector.Credential]) { Patterns = ["FALCON-[0-9]+"] };
        var guarded = s with { Models = [model with { Versions = [model.Versions[0] with { ContentGuard = guard }, model.Versions[1]] }] };
        Assert.Empty(SnapshotValidator.Validate(guarded));
        var json = System.Text.Encoding.UTF8.GetString(SnapshotJson.SerializeToUtf8Bytes(guarded));
        Assert.Contains("""
            "contentGuard":{"action":"redact","detectors":["payment-card","credential"]
            """.Trim(), json, StringComparison.Ordinal);
        var read = SnapshotJson.Deserialize(System.Text.Encoding.UTF8.GetBytes(json)).Models[0].Versions[0].ContentGuard!;
        Assert.Equal(guard, read); // by value: the lists are other instances
        Assert.NotEqual(guard, read with { Patterns = ["FALCON-[0-9]*"] });
        Assert.NotEqual(guard, read with { Detectors = [ContentDetector.PaymentCard] });
        Assert.NotEqual(guard, read with { Action = GuardAction.Block });

        var badPattern = guarded with { Models = [model with { Versions = [model.Versions[0] with { ContentGuard = guard with { Patterns = ["(?=x)y"] } }, model.Versions[1]] }] };
        Assert.Equal("models[0].versions[0].contentGuard.patterns[0]", Assert.Single(SnapshotValidator.Validate(badPattern)).Path);
        var realtime = guarded with { Models = [guarded.Models[0] with { Kind = ModelKind.Realtime }] };
        Assert.Equal("models[0].versions[0].contentGuard", Assert.Single(SnapshotValidator.Validate(realtime)).Path);
    }

    [Fact]
    public void Signing_VerifiesOnlyTheExactBytes()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var payload = SnapshotJson.SerializeToUtf8Bytes(Valid());

        var signature = SnapshotSigning.Sign(key, payload);

        Assert.True(SnapshotSigning.Verify(key, payload, signature));
        payload[10] ^= 1;
        Assert.False(SnapshotSigning.Verify(key, payload, signature));
        Assert.Equal(16, SnapshotSigning.KeyIdOf(key).Length);
    }
}

public sealed class DemoCatalogTests
{
    [Fact]
    public void DemoSnapshot_IsValid_AndTheDemoKeyReachesEveryAlias()
    {
        var snapshot = Gateway.Contracts.Demo.DemoCatalog.Snapshot("http://localhost:5089/");

        Assert.Empty(SnapshotValidator.Validate(snapshot));
        var key = Assert.Single(snapshot.Keys);
        Assert.Equal(ApiKeyFormat.HashToHex(DemoKeys.Key), key.Hash);
        Assert.Equal(snapshot.Models.Count, key.SubscriptionIds.Count);
        Assert.All(snapshot.Providers, p => Assert.Equal("http://localhost:5089", p.BaseUrl));
    }
}
