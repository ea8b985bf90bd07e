using System.Globalization;
using Gateway.Contracts.Admin;

namespace Gateway.Portal.Components.Pages.Finance;

/// <summary>The finance filters: a range of whole months and optional cost centre, team and model version.</summary>
public sealed record UsageFilter
{
    public string FromPeriod { get; set; } = "";

    public string ToPeriod { get; set; } = "";

    public string? CostCentre { get; set; }

    public string? TeamId { get; set; }

    public string? ModelVersion { get; set; }

    /// <summary>Start of the first month (inclusive); the months swap if given backwards.</summary>
    public DateTimeOffset From => Periods.Start(string.CompareOrdinal(FromPeriod, ToPeriod) <= 0 ? FromPeriod : ToPeriod);

    /// <summary>Start of the month after the last one (exclusive).</summary>
    public DateTimeOffset To => Periods.Start(string.CompareOrdinal(FromPeriod, ToPeriod) <= 0 ? ToPeriod : FromPeriod).AddMonths(1);

    public IReadOnlyList<string> Months()
    {
        var months = new List<string>();
        for (var m = From; m < To; m = m.AddMonths(1)) months.Add(Periods.Of(m));
        return months;
    }

    public UsageSummaryQuery Query(string groupBy, string? sort = null, string? order = null) => new()
    {
        GroupBy = groupBy, From = From, To = To, CostCentre = CostCentre, TeamId = TeamId, ModelVersion = ModelVersion, Sort = sort, Order = order,
    };

    /// <summary>The Portal's export URL of this filter's summary.</summary>
    public string ExportUrl(string groupBy, string format)
    {
        var query = new Dictionary<string, string?>
        {
            ["groupBy"] = groupBy,
            ["from"] = From.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["to"] = To.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["costCentre"] = CostCentre, ["teamId"] = TeamId, ["modelVersion"] = ModelVersion,
        };
        return $"exports/usage.{format}?" + string.Join('&', query.Where(kv => !string.IsNullOrWhiteSpace(kv.Value)).Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value!.Trim())}"));
    }
}
