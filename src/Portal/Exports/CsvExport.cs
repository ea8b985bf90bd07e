using System.Globalization;
using System.Text;

namespace Gateway.Portal.Exports;

/// <summary>
/// CSV that opens cleanly in Excel: UTF-8 with a byte-order mark, CRLF line ends, RFC 4180
/// quoting, invariant numbers (a dot, no grouping), ISO 8601 UTC times. Text that Excel would
/// take for a formula (=, +, -, @, tab, CR) gets a leading apostrophe.
/// </summary>
internal static class CsvExport
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static byte[] Write(ExportTable table)
    {
        var text = new StringBuilder();
        AppendRow(text, table.Columns.Select(c => (object?)c.Header).ToArray(), null);
        foreach (var row in table.Rows) AppendRow(text, row, table.Columns);
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
        return [.. encoding.GetPreamble(), .. encoding.GetBytes(text.ToString())];
    }

    private static void AppendRow(StringBuilder text, object?[] cells, IReadOnlyList<ExportColumn>? columns)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0) text.Append(',');
            var kind = columns is null ? ExportColumnKind.Text : columns[i].Kind;
            text.Append(Field(Format(cells[i]), kind));
        }
        text.Append("\r\n");
    }

    internal static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        DateTimeOffset d => d.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        decimal m => m.ToString("0.######", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Field(string value, ExportColumnKind kind)
    {
        if (kind == ExportColumnKind.Text && value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        var quote = value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && (value[0] == ' ' || value[^1] == ' '));
        return quote ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
