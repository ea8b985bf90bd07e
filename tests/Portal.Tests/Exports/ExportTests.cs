using System.Text;
using ClosedXML.Excel;
using Gateway.Contracts.Admin;
using Gateway.Portal.Exports;
using Gateway.Portal.Tests.Infrastructure;

namespace Gateway.Portal.Tests.Exports;

/// <summary>CSV and Excel exports that open cleanly in Excel; the workbook is read back with ClosedXML.</summary>
public sealed class ExportTests
{
    private static readonly ExportTable Table = new("Statement 2026-11",
        [new("Team"), new("Requests", ExportColumnKind.Integer), new("Amount", ExportColumnKind.Decimal), new("At", ExportColumnKind.DateTime)],
        [
            ["team, \"risk\"", 3L, 0.00036m, new DateTimeOffset(2026, 11, 2, 3, 4, 5, TimeSpan.Zero)],
            ["=HYPERLINK(\"http://x\")", 12345L, -1234.5m, null],
            ["Zürich line\nbreak", 0L, 1m, null],
        ]);

    [Fact]
    public void Csv_HasBom_Rfc4180Quoting_InvariantNumbers_AndNoFormulas()
    {
        var bytes = CsvExport.Write(Table);
        Assert.True(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble));
        var text = Encoding.UTF8.GetString(bytes.AsSpan(3));
        Assert.Equal(
            "Team,Requests,Amount,At\r\n" +
            "\"team, \"\"risk\"\"\",3,0.00036,2026-11-02T03:04:05Z\r\n" +
            "\"'=HYPERLINK(\"\"http://x\"\")\",12345,-1234.5,\r\n" +
            "\"Zürich line\nbreak\",0,1,\r\n",
            text);
    }

    [Fact]
    public void Excel_HasHeaderRow_SheetName_AndTypedCells()
    {
        using var workbook = new XLWorkbook(new MemoryStream(ExcelExport.Write(Table)));
        var sheet = Assert.Single(workbook.Worksheets);
        Assert.Equal("Statement 2026-11", sheet.Name);
        Assert.Equal("Team", sheet.Cell(1, 1).GetString());
        Assert.True(sheet.Cell(1, 1).Style.Font.Bold);
        Assert.Equal(XLDataType.Number, sheet.Cell(2, 2).DataType);
        Assert.Equal(3d, sheet.Cell(2, 2).GetDouble());
        Assert.Equal(XLDataType.Number, sheet.Cell(2, 3).DataType);
        Assert.Equal(0.00036m, sheet.Cell(2, 3).GetValue<decimal>());
        Assert.Equal(-1234.5m, sheet.Cell(3, 3).GetValue<decimal>());
        Assert.Equal(XLDataType.DateTime, sheet.Cell(2, 4).DataType);
        Assert.Equal(new DateTime(2026, 11, 2, 3, 4, 5), sheet.Cell(2, 4).GetDateTime());
        Assert.Equal(XLDataType.Text, sheet.Cell(3, 1).DataType);
        Assert.Equal("=HYPERLINK(\"http://x\")", sheet.Cell(3, 1).GetString());
        Assert.False(sheet.Cell(3, 1).HasFormula);
        Assert.True(sheet.Cell(4, 4).IsEmpty());
    }

    [Theory]
    [InlineData("Usage by team", "Usage by team")]
    [InlineData("a/b:c*d?e[f]g\\h", "a-b-c-d-e-f-g-h")]
    [InlineData("A name much longer than thirty-one characters", "A name much longer than thirty-")]
    [InlineData("''", "Export")]
    public void SheetNames_FollowExcelsRules(string name, string expected) => Assert.Equal(expected, ExcelExport.SheetName(name));

    [Fact]
    public void Statement_HasOneRowPerLineAndAdjustment()
    {
        var statement = Data.Statement("2026-10") with
        {
            Adjustments = [new AdjustmentDto("adj-1", "2026-10", "CC-2002", -0.5m, "USD", "Credit for an outage", "2026-09", "user-finance", Data.Now)],
        };
        var table = ExportTables.Statement(statement);
        Assert.Equal("Statement-2026-10", table.FileName);
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(["2026-10", "usage", "CC-2002", "team-risk", "gpt-4o-mini-2024-07-18", "USD", 3L, 1200L, 0L, 300L, 0.000360m, null], table.Rows[0]);
        Assert.Equal("adjustment", table.Rows[1][1]);
        Assert.Equal(-0.5m, table.Rows[1][10]);
        Assert.Equal("Credit for an outage (corrects 2026-09)", table.Rows[1][11]);
    }
}
