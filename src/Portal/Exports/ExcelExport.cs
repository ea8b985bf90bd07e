using ClosedXML.Excel;

namespace Gateway.Portal.Exports;

/// <summary>
/// An .xlsx workbook (ClosedXML) with one sheet: a bold, frozen header row with a filter, and
/// typed cells (numbers as numbers with a number format, times as dates), so totals work in Excel.
/// </summary>
internal static class ExcelExport
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] Write(ExportTable table)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add(SheetName(table.Name));
        for (var c = 0; c < table.Columns.Count; c++)
        {
            var header = sheet.Cell(1, c + 1);
            header.Value = table.Columns[c].Header;
            header.Style.Font.Bold = true;
        }
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            for (var c = 0; c < table.Columns.Count && c < row.Length; c++)
            {
                SetCell(sheet.Cell(r + 2, c + 1), row[c], table.Columns[c].Kind);
            }
        }
        for (var c = 0; c < table.Columns.Count; c++)
        {
            // Widths from the text length: ClosedXML's AdjustToContents needs GDI+, which Linux lacks.
            var longest = table.Rows.Select(row => c < row.Length ? CsvExport.Format(row[c]).Length : 0).Append(table.Columns[c].Header.Length).Max();
            sheet.Column(c + 1).Width = Math.Clamp(longest + 2, 8, 60);
        }
        if (table.Columns.Count > 0)
        {
            sheet.SheetView.FreezeRows(1);
            sheet.Range(1, 1, Math.Max(1, table.Rows.Count + 1), table.Columns.Count).SetAutoFilter();
        }
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }

    private static void SetCell(IXLCell cell, object? value, ExportColumnKind kind)
    {
        switch (value)
        {
            case null:
                return;
            case long l:
                cell.Value = l;
                cell.Style.NumberFormat.Format = "#,##0";
                return;
            case int i:
                cell.Value = i;
                cell.Style.NumberFormat.Format = "#,##0";
                return;
            case decimal m:
                cell.Value = m;
                cell.Style.NumberFormat.Format = "#,##0.00####";
                return;
            case double d:
                cell.Value = d;
                return;
            case DateTimeOffset t:
                cell.Value = t.UtcDateTime;
                cell.Style.NumberFormat.Format = "yyyy-mm-dd hh:mm:ss";
                return;
            default:
                // Text is set as text, so "0012" or "=1+1" stay what they are.
                cell.SetValue(value.ToString() ?? "");
                cell.DataType = XLDataType.Text;
                if (kind != ExportColumnKind.Text) cell.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Right;
                return;
        }
    }

    /// <summary>Excel's rules: at most 31 characters, none of <c>[]:*?/\</c>, not empty.</summary>
    internal static string SheetName(string name)
    {
        var clean = new string([.. name.Select(c => c is '[' or ']' or ':' or '*' or '?' or '/' or '\\' ? '-' : c)]).Trim('\'', ' ');
        if (clean.Length == 0) clean = "Export";
        return clean.Length > 31 ? clean[..31] : clean;
    }
}
