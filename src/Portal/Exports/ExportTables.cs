using Gateway.Contracts.Admin;

namespace Gateway.Portal.Exports;

/// <summary>The exported tables: a month's chargeback statement and a usage summary.</summary>
internal static class ExportTables
{
    private static readonly ExportColumn[] StatementColumns =
    [
        new("Period"), new("Type"), new("Cost centre"), new("Team"), new("Model version"), new("Currency"),
        new("Requests", ExportColumnKind.Integer), new("Input tokens", ExportColumnKind.Integer),
        new("Cached input tokens", ExportColumnKind.Integer), new("Output tokens", ExportColumnKind.Integer),
        new("Amount", ExportColumnKind.Decimal), new("Reason"),
    ];

    private static readonly ExportColumn[] SummaryColumns =
    [
        new("Group"), new("Currency"), new("Requests", ExportColumnKind.Integer), new("Input tokens", ExportColumnKind.Integer),
        new("Cached input tokens", ExportColumnKind.Integer), new("Output tokens", ExportColumnKind.Integer),
        new("Total tokens", ExportColumnKind.Integer), new("Cost", ExportColumnKind.Decimal),
    ];

    /// <summary>One row per usage line (cost centre × team × model version) and one per adjustment.</summary>
    public static ExportTable Statement(StatementDto statement)
    {
        var rows = new List<object?[]>();
        foreach (var centre in statement.CostCentres)
        {
            foreach (var line in centre.Lines)
            {
                rows.Add([statement.Period, "usage", centre.CostCentre, line.TeamId, line.ModelVersion, centre.Currency,
                    line.Requests, line.InputTokens, line.CachedInputTokens, line.OutputTokens, line.Cost, null]);
            }
        }
        foreach (var adjustment in statement.Adjustments)
        {
            rows.Add([statement.Period, "adjustment", adjustment.CostCentre, null, null, adjustment.Currency,
                null, null, null, null, adjustment.Amount,
                adjustment.CorrectsPeriod is null ? adjustment.Reason : $"{adjustment.Reason} (corrects {adjustment.CorrectsPeriod})"]);
        }
        return new ExportTable($"Statement {statement.Period}", StatementColumns, rows);
    }

    public static ExportTable Summary(string name, IReadOnlyList<UsageSummaryRow> summary) => new(
        name, SummaryColumns,
        [.. summary.Select(r => new object?[] { r.Key, r.Currency, r.Requests, r.InputTokens, r.CachedInputTokens, r.OutputTokens, r.TotalTokens, r.Cost })]);
}
