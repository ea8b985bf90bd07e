using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Requests;

public partial class NewRequest
{
    private readonly RequestForm _form = new();
    private readonly FieldErrors _errors = new();
    private IReadOnlyList<MyTeamDto> _teams = [];
    private IReadOnlyList<ModelDto> _models = [];
    private bool _loading = true;
    private bool _submitting;
    private Exception? _loadError;
    private Exception? _submitError;

    [SupplyParameterFromQuery(Name = "model")]
    public string? Model { get; set; }

    [Inject]
    private MeApi Me { get; set; } = default!;

    [Inject]
    private CatalogApi Catalog { get; set; } = default!;

    [Inject]
    private AccessRequestsApi Requests { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private ModelDto? SelectedModel => _models.FirstOrDefault(m => m.Alias == _form.ModelAlias);

    private string Currency => SelectedModel?.Versions.FirstOrDefault()?.Prices.Currency ?? "USD";

    private string? ModelHelp => SelectedModel?.Versions.FirstOrDefault(v => v.Name == SelectedModel.DefaultVersion) is { } v
        ? $"Default version {v.Name}, cleared for {JsonNaming.EnumValue(v.MaxDataClassification)} data"
        : null;

    /// <summary>One line per version of the chosen model whose requests are screened (a content guard), so a team knows before it builds on it.</summary>
    private IEnumerable<string> Screening => SelectedModel?.Versions.Select(v => GuardText.Screening(v.Name, v.ContentGuard)).OfType<string>() ?? [];

    protected override async Task OnInitializedAsync()
    {
        try
        {
            var me = Me.GetAsync(CancellationToken.None);
            var models = Catalog.ListAsync(new ModelQuery { PageSize = Paging.MaxPageSize, HideRetired = true, Sort = "alias" }, CancellationToken.None);
            _teams = (await me).Teams;
            _models = (await models).Items;
            _form.TeamId = _teams.Count == 1 ? _teams[0].TeamId : null;
            _form.ModelAlias = _models.Any(m => m.Alias == Model) ? Model : null;
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _loadError = ex;
        }
        finally
        {
            _loading = false;
        }
    }

    private async Task SubmitAsync()
    {
        _submitting = true;
        _submitError = null;
        _errors.Clear();
        try
        {
            var created = await Requests.CreateAsync(_form.ToRequest(Currency), CancellationToken.None);
            Snackbar.Add($"Request for {created.ModelAlias} sent; an approver will decide.", Severity.Success);
            Navigation.NavigateTo("requests");
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _errors.Set(ex);
            if (ex is ApiException { IsValidation: true })
            {
                Snackbar.Add("Some values were not accepted; see the highlighted fields.", Severity.Warning);
            }
            else
            {
                _submitError = ex;
            }
        }
        finally
        {
            _submitting = false;
        }
    }
}
