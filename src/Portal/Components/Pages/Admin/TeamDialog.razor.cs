using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Admin;

public partial class TeamDialog
{
    private readonly FieldErrors _errors = new();
    private string? _id, _name, _costCentre;
    private int? _rpm, _tpm, _concurrent;
    private Exception? _error;
    private bool _saving;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter]
    public TeamDto? Team { get; set; }

    [Inject]
    private TeamsApi Api { get; set; } = default!;

    protected override void OnInitialized()
    {
        if (Team is not { } t) return;
        (_id, _name, _costCentre) = (t.Id, t.Name, t.CostCentre);
        (_rpm, _tpm, _concurrent) = (t.Limits?.RequestsPerMinute, t.Limits?.TokensPerMinute, t.Limits?.MaxConcurrent);
    }

    private async Task SaveAsync()
    {
        _saving = true;
        _errors.Clear();
        _error = null;
        try
        {
            var limits = _rpm is null && _tpm is null && _concurrent is null ? null : new LimitSpec(_rpm, _tpm, _concurrent);
            TeamDto saved = Team is null
                ? await Api.CreateAsync(new CreateTeamRequest(_id ?? "", _name ?? "", _costCentre ?? "", limits), CancellationToken.None)
                : await Api.UpdateAsync(Team.Id, new UpdateTeamRequest(_name ?? "", _costCentre ?? "", limits, Team.ConcurrencyStamp), CancellationToken.None);
            Dialog.Close(DialogResult.Ok(saved));
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _errors.Set(ex);
            _error = ex is ApiException { IsValidation: true } ? null : ex;
        }
        finally
        {
            _saving = false;
        }
    }
}
