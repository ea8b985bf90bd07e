using System.Globalization;
using Gateway.Contracts.Keys;

namespace Gateway.Contracts.Snapshot;

/// <summary>One problem in a snapshot, with the JSON path of the offending field.</summary>
public sealed record SnapshotValidationError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>
/// Checks a snapshot's internal consistency: unique ids, every reference resolvable, values in
/// range. The control plane runs it before it signs; a proxy runs it before it swaps.
/// </summary>
public static class SnapshotValidator
{
    // JSON's nulls in a list pass the deserializer's nullability checks (they apply to properties, not to elements).
    private const string NotNull = "must not be null";

    public static IReadOnlyList<SnapshotValidationError> Validate(GatewaySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var errors = new List<SnapshotValidationError>();
        void Error(string path, string message) => errors.Add(new(path, message));

        if (snapshot.Revision < 0) Error("revision", "must be zero or positive");
        if (snapshot.LiveProxies < 1) Error("liveProxies", "must be at least 1");

        var providers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < snapshot.Providers.Count; i++)
        {
            var p = snapshot.Providers[i];
            var path = $"providers[{i}]";
            if (p is null)
            {
                Error(path, NotNull);
                continue;
            }
            if (!IsId(p.Id)) Error($"{path}.id", "must be a non-empty id of letters, digits, '-', '_' or '.'");
            else if (!providers.Add(p.Id)) Error($"{path}.id", $"duplicate provider id '{p.Id}'");
            if (!Enum.IsDefined(p.Kind)) Error($"{path}.kind", "unknown provider kind");
            if (!HostAllowList.IsHttpUrl(p.BaseUrl)) Error($"{path}.baseUrl", "must be an absolute http or https URL");
            if (p.CredentialRef is { } cred && !IsCredentialRef(cred))
                Error($"{path}.credentialRef", "must be 'env:NAME' or 'file:/absolute/path' (a reference, never the secret)");
            if (p.ConnectTimeoutSeconds <= 0) Error($"{path}.connectTimeoutSeconds", "must be positive");
            if (p.FirstByteTimeoutSeconds <= 0) Error($"{path}.firstByteTimeoutSeconds", "must be positive");
            if (p.StreamIdleTimeoutSeconds <= 0) Error($"{path}.streamIdleTimeoutSeconds", "must be positive");
        }

        var aliases = new Dictionary<string, ModelSpec>(StringComparer.Ordinal);
        var versionNames = new HashSet<string>(StringComparer.Ordinal);
        var deploymentIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < snapshot.Models.Count; i++)
        {
            var m = snapshot.Models[i];
            var path = $"models[{i}]";
            if (m is null)
            {
                Error(path, NotNull);
                continue;
            }
            if (!IsId(m.Alias)) Error($"{path}.alias", "must be a non-empty id of letters, digits, '-', '_' or '.'");
            else if (!aliases.TryAdd(m.Alias, m)) Error($"{path}.alias", $"duplicate model alias '{m.Alias}'");
            if (!Enum.IsDefined(m.Kind)) Error($"{path}.kind", "unknown model kind");
            if (m.Versions.Count == 0) Error($"{path}.versions", "must hold at least one version");
            var local = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < m.Versions.Count; j++)
            {
                var v = m.Versions[j];
                var vpath = $"{path}.versions[{j}]";
                if (v is null)
                {
                    Error(vpath, NotNull);
                    continue;
                }
                if (!IsId(v.Name)) Error($"{vpath}.name", "must be a non-empty id");
                else if (!versionNames.Add(v.Name) || !local.Add(v.Name)) Error($"{vpath}.name", $"duplicate version name '{v.Name}'");
                else if (aliases.ContainsKey(v.Name) && v.Name != m.Alias) Error($"{vpath}.name", $"'{v.Name}' is also a model alias");
                if (!Enum.IsDefined(v.Status)) Error($"{vpath}.status", "unknown status");
                ValidatePrices(v.Prices, $"{vpath}.prices", Error);
                if (v.MaxOutputTokens is <= 0) Error($"{vpath}.maxOutputTokens", "must be positive");
                if (v.Successor is { } successor && !IsId(successor)) Error($"{vpath}.successor", "must be a version name (an id)");
                if (v.ContentGuard is { } guard)
                {
                    foreach (var (field, message) in ContentGuardRules.Problems(guard, $"{vpath}.contentGuard", m.Kind)) Error(field, message);
                }
                if (v.Status != VersionStatus.Retired && v.Deployments.Count == 0)
                    Error($"{vpath}.deployments", "a version that serves must have at least one deployment");
                for (var k = 0; k < v.Deployments.Count; k++)
                {
                    var d = v.Deployments[k];
                    var dpath = $"{vpath}.deployments[{k}]";
                    if (d is null)
                    {
                        Error(dpath, NotNull);
                        continue;
                    }
                    if (!IsId(d.Id)) Error($"{dpath}.id", "must be a non-empty id");
                    else if (!deploymentIds.Add(d.Id)) Error($"{dpath}.id", $"duplicate deployment id '{d.Id}'");
                    if (!providers.Contains(d.ProviderId)) Error($"{dpath}.providerId", $"unknown provider '{d.ProviderId}'");
                    if (string.IsNullOrWhiteSpace(d.UpstreamModel)) Error($"{dpath}.upstreamModel", "must not be empty");
                    if (d.Weight < 0) Error($"{dpath}.weight", "must be zero or positive");
                }
            }
            if (!local.Contains(m.DefaultVersion)) Error($"{path}.defaultVersion", $"'{m.DefaultVersion}' is not one of the alias's versions");
            if (m.Canary is { } canary)
            {
                if (!local.Contains(canary.Version)) Error($"{path}.canary.version", $"'{canary.Version}' is not one of the alias's versions");
                if (canary.Percent is < 0 or > 100 || double.IsNaN(canary.Percent)) Error($"{path}.canary.percent", "must be between 0 and 100");
            }
            if (m.Tokenizer is { } tok && tok is not ("o200k_base" or "cl100k_base"))
                Error($"{path}.tokenizer", "must be 'o200k_base', 'cl100k_base' or absent");
        }

        var teams = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < snapshot.Teams.Count; i++)
        {
            var t = snapshot.Teams[i];
            var path = $"teams[{i}]";
            if (t is null)
            {
                Error(path, NotNull);
                continue;
            }
            if (!IsId(t.Id)) Error($"{path}.id", "must be a non-empty id");
            else if (!teams.Add(t.Id)) Error($"{path}.id", $"duplicate team id '{t.Id}'");
            if (string.IsNullOrWhiteSpace(t.CostCentre)) Error($"{path}.costCentre", "must not be empty");
            ValidateLimits(t.Limits, $"{path}.limits", Error);
        }

        var subscriptions = new Dictionary<string, SubscriptionSpec>(StringComparer.Ordinal);
        for (var i = 0; i < snapshot.Subscriptions.Count; i++)
        {
            var s = snapshot.Subscriptions[i];
            var path = $"subscriptions[{i}]";
            if (s is null)
            {
                Error(path, NotNull);
                continue;
            }
            if (!IsId(s.Id)) Error($"{path}.id", "must be a non-empty id");
            else if (!subscriptions.TryAdd(s.Id, s)) Error($"{path}.id", $"duplicate subscription id '{s.Id}'");
            if (!teams.Contains(s.TeamId)) Error($"{path}.teamId", $"unknown team '{s.TeamId}'");
            if (!aliases.TryGetValue(s.ModelAlias, out var model)) Error($"{path}.modelAlias", $"unknown model alias '{s.ModelAlias}'");
            else if (s.PinnedVersion is { } pin && !ContainsVersion(model, pin)) Error($"{path}.pinnedVersion", $"'{pin}' is not a version of '{s.ModelAlias}'");
            ValidateLimits(s.Limits, $"{path}.limits", Error);
            if (s.Budget is { } b)
            {
                if (b.MonthlyTokens is < 0) Error($"{path}.budget.monthlyTokens", "must be zero or positive");
                if (b.MonthlyAmount is < 0) Error($"{path}.budget.monthlyAmount", "must be zero or positive");
                if (b.MonthlyAmount is not null && !IsCurrency(b.Currency)) Error($"{path}.budget.currency", "a money budget needs an ISO 4217 currency");
            }
            if (s.MaxOutputTokens is <= 0) Error($"{path}.maxOutputTokens", "must be positive");
            if (!Enum.IsDefined(s.OverLimit)) Error($"{path}.overLimit", "unknown action");
            if (s.Usage is { } u)
            {
                if (!DateTime.TryParseExact(u.Period, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    Error($"{path}.usage.period", "must be yyyy-MM");
                if (u.Tokens < 0) Error($"{path}.usage.tokens", "must be zero or positive");
                if (u.Amount < 0) Error($"{path}.usage.amount", "must be zero or positive");
            }
        }

        var keyIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < snapshot.Keys.Count; i++)
        {
            var k = snapshot.Keys[i];
            var path = $"keys[{i}]";
            if (k is null)
            {
                Error(path, NotNull);
                continue;
            }
            if (!ApiKeyFormat.IsValidKeyId(k.KeyId)) Error($"{path}.keyId", $"must be {ApiKeyFormat.KeyIdLength} characters of a-z and 0-9");
            else if (!keyIds.Add(k.KeyId)) Error($"{path}.keyId", $"duplicate key id '{k.KeyId}'");
            if (!ApiKeyFormat.IsValidHashHex(k.Hash)) Error($"{path}.hash", "must be 64 lowercase hex characters (SHA-256)");
            if (!teams.Contains(k.TeamId)) Error($"{path}.teamId", $"unknown team '{k.TeamId}'");
            if (!Enum.IsDefined(k.Status)) Error($"{path}.status", "unknown status");
            ValidateLimits(k.Limits, $"{path}.limits", Error);
            foreach (var (index, message) in ClientNetworks.Problems(k.AllowedNetworks))
                Error(index < 0 ? $"{path}.allowedNetworks" : $"{path}.allowedNetworks[{index}]", message);
            for (var j = 0; j < k.SubscriptionIds.Count; j++)
            {
                var sid = k.SubscriptionIds[j];
                if (sid is null) Error($"{path}.subscriptionIds[{j}]", NotNull);
                else if (!subscriptions.TryGetValue(sid, out var sub)) Error($"{path}.subscriptionIds[{j}]", $"unknown subscription '{sid}'");
                else if (sub.TeamId != k.TeamId) Error($"{path}.subscriptionIds[{j}]", $"subscription '{sid}' belongs to another team");
            }
        }

        return errors;
    }

    private static bool ContainsVersion(ModelSpec model, string version)
    {
        foreach (var v in model.Versions)
        {
            if (v.Name == version) return true;
        }
        return false;
    }

    private static void ValidatePrices(PriceSpec prices, string path, Action<string, string> error)
    {
        if (prices.InputPerMillion < 0) error($"{path}.inputPerMillion", "must be zero or positive");
        if (prices.CachedInputPerMillion < 0) error($"{path}.cachedInputPerMillion", "must be zero or positive");
        if (prices.OutputPerMillion < 0) error($"{path}.outputPerMillion", "must be zero or positive");
        if (!IsCurrency(prices.Currency)) error($"{path}.currency", "must be an ISO 4217 code such as EUR or USD");
    }

    private static void ValidateLimits(LimitSpec? limits, string path, Action<string, string> error)
    {
        if (limits is null) return;
        if (limits.RequestsPerMinute is <= 0) error($"{path}.requestsPerMinute", "must be positive (omit for unlimited)");
        if (limits.TokensPerMinute is <= 0) error($"{path}.tokensPerMinute", "must be positive (omit for unlimited)");
        if (limits.MaxConcurrent is <= 0) error($"{path}.maxConcurrent", "must be positive (omit for unlimited)");
    }

    private static bool IsCurrency(string? code) =>
        code is { Length: 3 } && char.IsAsciiLetterUpper(code[0]) && char.IsAsciiLetterUpper(code[1]) && char.IsAsciiLetterUpper(code[2]);

    /// <summary>Ids are 1–128 characters of ASCII letters, digits, '-', '_', '.', ':' or '/'.</summary>
    public static bool IsId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 128) return false;
        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or ':' or '/')) return false;
        }
        return true;
    }

    /// <summary>A credential reference: <c>env:NAME</c> or <c>file:/absolute/path</c>.</summary>
    public static bool IsCredentialRef(string value) =>
        (value.StartsWith("env:", StringComparison.Ordinal) && value.Length > 4 && value.AsSpan(4).IndexOfAnyExcept(EnvNameChars) < 0)
        || (value.StartsWith("file:/", StringComparison.Ordinal) && value.Length > 6);

    private static readonly System.Buffers.SearchValues<char> EnvNameChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
}
