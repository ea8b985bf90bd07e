namespace Gateway.Portal.Exports;

/// <summary>The type of an exported column: text stays text, numbers are written as numbers.</summary>
internal enum ExportColumnKind
{
    Text,
    Integer,
    Decimal,
    DateTime,
}

internal sealed record ExportColumn(string Header, ExportColumnKind Kind = ExportColumnKind.Text);

/// <summary>
/// A table to export as CSV or Excel. Cells hold <c>string</c>, <c>long</c>/<c>int</c>,
/// <c>decimal</c>, <c>DateTimeOffset</c> or null, matching their column's kind.
/// </summary>
internal sealed record ExportTable(string Name, IReadOnlyList<ExportColumn> Columns, IReadOnlyList<object?[]> Rows)
{
    /// <summary>A file name without extension: the table name with anything unsafe replaced.</summary>
    public string FileName => string.Concat(Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-'));
}
