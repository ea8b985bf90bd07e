using System.Globalization;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.ControlPlane.Infrastructure;

/// <summary>Collects field errors (camelCase JSON paths) and turns them into a 400 ValidationProblem.</summary>
internal sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Failed => _errors.Count > 0;

    public Validation Error(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public ValidationProblem Problem() =>
        TypedResults.ValidationProblem(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), title: "The request is invalid.");

    public Validation Required(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) Error(field, "is required");
        else if (value.Length > maxLength) Error(field, $"must be at most {maxLength} characters");
        return this;
    }

    public Validation Optional(string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength) Error(field, $"must be at most {maxLength} characters");
        return this;
    }

    /// <summary>Ids: 1–128 characters of letters, digits, '-', '_', '.', ':' or '/'.</summary>
    public Validation Id(string field, string? value)
    {
        if (!SnapshotValidator.IsId(value)) Error(field, "must be 1-128 characters of letters, digits, '-', '_', '.', ':' or '/'");
        return this;
    }

    public Validation Defined<T>(string field, T value) where T : struct, Enum
    {
        if (!Enum.IsDefined(value)) Error(field, $"is not a known {typeof(T).Name} value");
        return this;
    }

    public Validation Positive(string field, long? value)
    {
        if (value is <= 0) Error(field, "must be positive");
        return this;
    }

    public Validation NotNegative(string field, long? value)
    {
        if (value is < 0) Error(field, "must be zero or positive");
        return this;
    }

    /// <summary>Money: at most 6 decimals and within decimal(18,6); <paramref name="allowNegative"/> for adjustments.</summary>
    public Validation Money(string field, decimal? value, bool allowNegative = false)
    {
        if (value is not { } v) return this;
        if (!Data.Money.Fits(v)) Error(field, $"must have at most {Data.Money.Scale} decimals and at most 12 integer digits");
        else if (!allowNegative && v < 0) Error(field, "must be zero or positive");
        return this;
    }

    public Validation Currency(string field, string? code)
    {
        if (code is not { Length: 3 } || !code.All(char.IsAsciiLetterUpper)) Error(field, "must be an ISO 4217 code such as USD or EUR");
        return this;
    }

    public Validation Period(string field, string? period)
    {
        if (!Periods.TryParse(period, out _)) Error(field, "must be a month as yyyy-MM");
        return this;
    }

    public Validation Limits(string field, LimitSpec? limits)
    {
        if (limits is null) return this;
        Positive($"{field}.requestsPerMinute", limits.RequestsPerMinute);
        Positive($"{field}.tokensPerMinute", limits.TokensPerMinute);
        Positive($"{field}.maxConcurrent", limits.MaxConcurrent);
        return this;
    }

    public Validation Budget(string field, BudgetSpec? budget)
    {
        if (budget is null) return this;
        NotNegative($"{field}.monthlyTokens", budget.MonthlyTokens);
        Money($"{field}.monthlyAmount", budget.MonthlyAmount);
        if (budget.MonthlyAmount is not null) Currency($"{field}.currency", budget.Currency);
        else if (budget.Currency is not null) Currency($"{field}.currency", budget.Currency);
        return this;
    }

    public Validation Guard(string field, ContentGuardSpec? guard, ModelKind kind)
    {
        if (guard is null) return this;
        foreach (var (path, message) in ContentGuardRules.Problems(guard, field, kind)) Error(path, message);
        return this;
    }

    public Validation Prices(string field, PriceSpec? prices)
    {
        if (prices is null)
        {
            Error(field, "is required");
            return this;
        }
        Money($"{field}.inputPerMillion", prices.InputPerMillion);
        Money($"{field}.cachedInputPerMillion", prices.CachedInputPerMillion);
        Money($"{field}.outputPerMillion", prices.OutputPerMillion);
        Currency($"{field}.currency", prices.Currency);
        return this;
    }
}

/// <summary>Calendar months (<c>yyyy-MM</c>, UTC).</summary>
internal static class Periods
{
    public static bool TryParse(string? period, out DateTimeOffset start)
    {
        start = default;
        if (period is not { Length: 7 } || !DateTime.TryParseExact(period, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d))
            return false;
        start = new DateTimeOffset(d.Year, d.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return true;
    }

    public static string Of(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string Next(string period)
    {
        TryParse(period, out var start);
        return Of(start.AddMonths(1));
    }
}

/// <summary>Enum values from query strings: names case-insensitively (C# or JSON wire names), never numbers.</summary>
internal static class QueryEnums
{
    public static T? Parse<T>(Validation validation, string field, string? value) where T : struct, Enum
    {
        if (value is null) return null;
        var normalized = value.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (normalized.Length > 0 && !char.IsAsciiDigit(normalized[0]) && normalized[0] != '-'
            && Enum.TryParse<T>(normalized, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            return parsed;
        validation.Error(field, $"must be one of: {string.Join(", ", Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}");
        return null;
    }
}
