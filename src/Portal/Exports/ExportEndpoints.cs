using System.Text;
using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Auth;

namespace Gateway.Portal.Exports;

/// <summary>
/// File downloads (plain HTTP, so browsers save them natively): statements and usage as CSV or
/// Excel, the audit log as the control plane exports it. Each calls the API as the signed-in user.
/// </summary>
internal static class ExportEndpoints
{
    public static WebApplication MapExportEndpoints(this WebApplication app)
    {
        var exports = app.MapGroup("/exports");
        exports.MapGet("/statements/{period}.{format}", StatementAsync).RequireAuthorization(PortalPolicies.Finance);
        exports.MapGet("/usage.{format}", UsageAsync).RequireAuthorization(PortalPolicies.Finance);
        exports.MapGet("/audit.{format}", AuditAsync).RequireAuthorization(PortalPolicies.Admin);
        return app;
    }

    private static Task<IResult> StatementAsync(string period, string format, HttpContext context, StatementsApi api, CancellationToken ct) =>
        GuardAsync(context, async () => File(ExportTables.Statement(await api.GetAsync(period, ct)), format));

    private static Task<IResult> UsageAsync(
        string format, string? groupBy, DateTimeOffset? from, DateTimeOffset? to, string? teamId, string? costCentre, string? modelVersion,
        HttpContext context, UsageApi api, CancellationToken ct) =>
        GuardAsync(context, async () =>
        {
            var query = new UsageSummaryQuery { GroupBy = groupBy, From = from, To = to, TeamId = teamId, CostCentre = costCentre, ModelVersion = modelVersion, Sort = "key" };
            var rows = await api.SummaryAllAsync(query, ct);
            return File(ExportTables.Summary($"Usage by {groupBy ?? "team"}", rows), format);
        });

    private static Task<IResult> AuditAsync(
        string format, string? actor, string? action, string? targetType, string? targetId, DateTimeOffset? from, DateTimeOffset? to,
        HttpContext context, AuditApi api, CancellationToken ct) =>
        GuardAsync(context, async () =>
        {
            if (format is not ("csv" or "ndjson")) return Results.NotFound();
            var query = new AuditQuery { Actor = actor, Action = action, TargetType = targetType, TargetId = targetId, From = from, To = to, Format = format };
            var response = await api.ExportAsync(query, ct);
            context.Response.RegisterForDispose(response);
            var body = await response.Content.ReadAsStreamAsync(ct);
            if (format == "ndjson") return Results.Stream(body, "application/x-ndjson", "audit.ndjson");
            // Excel needs the byte-order mark to read the CSV as UTF-8.
            return Results.Stream(async output =>
            {
                await output.WriteAsync(Encoding.UTF8.Preamble.ToArray(), ct);
                await body.CopyToAsync(output, ct);
            }, CsvExport.ContentType, "audit.csv");
        });

    private static IResult File(ExportTable table, string format) => format switch
    {
        "csv" => Results.File(CsvExport.Write(table), CsvExport.ContentType, table.FileName + ".csv"),
        "xlsx" => Results.File(ExcelExport.Write(table), ExcelExport.ContentType, table.FileName + ".xlsx"),
        _ => Results.NotFound(),
    };

    /// <summary>Runs an export as the request's user; API errors become a short readable text, never a stack trace.</summary>
    private static async Task<IResult> GuardAsync(HttpContext context, Func<Task<IResult>> export)
    {
        context.RequestServices.GetRequiredService<CurrentUser>().Use(context.User);
        try
        {
            return await export();
        }
        catch (SessionExpiredException)
        {
            return Results.Redirect("/account/signin?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
        }
        catch (ApiException ex)
        {
            return Results.Text(ex.UserMessage, "text/plain; charset=utf-8", statusCode: ex.Status is >= 400 and < 600 ? ex.Status : 502);
        }
    }
}
