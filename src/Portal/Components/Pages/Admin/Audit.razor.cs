using System.Globalization;
using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Admin;

public partial class Audit
{
    private static readonly int[] PageSizes = [10, 25, 50, 100];
    private static readonly Dictionary<string, string> SortFields = new()
    {
        ["Sequence"] = "sequence", ["Time"] = "time", ["Actor"] = "actor", ["Action"] = "action",
    };

    private readonly AuditQuery _query = new();
    private MudDataGrid<AuditEventDto>? _grid;
    private AuditVerificationDto? _verification;
    private DateTime? _from;
    private DateTime? _to;
    private Exception? _verifyError;
    private bool _verifying = true;
    private AuditHeadDto? _head;
    private Exception? _headError;
    private readonly AuditVerifyQuery _attested = new();
    private AuditVerifyQuery? _checked;
    private AuditVerificationDto? _headCheck;
    private Exception? _headCheckError;
    private bool _checking;

    [Inject]
    private AuditApi Api { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _verification = await Api.VerifyAsync(CancellationToken.None);
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _verifyError = ex;
        }
        finally
        {
            _verifying = false;
        }
        try
        {
            _head = await Api.HeadAsync(CancellationToken.None);
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _headError = ex;
        }
    }

    private async Task CheckHeadAsync()
    {
        _checking = true;
        (_headCheck, _headCheckError) = (null, null);
        _checked = new AuditVerifyQuery { Sequence = _attested.Sequence, Hash = _attested.Hash?.Trim() };
        try
        {
            _headCheck = await Api.VerifyAgainstAsync(_checked, CancellationToken.None);
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _headCheckError = ex;
        }
        finally
        {
            _checking = false;
        }
    }

    private async Task<GridData<AuditEventDto>> LoadAsync(GridState<AuditEventDto> state, CancellationToken ct)
    {
        var q = GridQuery.From(state, SortFields);
        (_query.Page, _query.PageSize, _query.Sort, _query.Order) = (q.Page, q.PageSize, q.Sort, q.Order);
        return await LoadGridAsync(() => Api.ListAsync(_query, ct));
    }

    private Task ApplyAsync()
    {
        _query.From = _from is { } f ? new DateTimeOffset(DateTime.SpecifyKind(f.Date, DateTimeKind.Utc)) : null;
        _query.To = _to is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t.Date.AddDays(1), DateTimeKind.Utc)) : null;
        return _grid!.ReloadServerData();
    }

    private string ExportUrl(string format)
    {
        var query = new Dictionary<string, string?>
        {
            ["actor"] = _query.Actor, ["action"] = _query.Action, ["targetType"] = _query.TargetType, ["targetId"] = _query.TargetId,
            ["from"] = _query.From?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["to"] = _query.To?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        var parameters = string.Join('&', query.Where(kv => !string.IsNullOrWhiteSpace(kv.Value)).Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value!.Trim())}"));
        return $"exports/audit.{format}" + (parameters.Length > 0 ? "?" + parameters : "");
    }
}
