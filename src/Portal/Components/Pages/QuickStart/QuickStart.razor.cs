using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.QuickStart;

public partial class QuickStart
{
    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private IReadOnlyList<ModelDto> _models = [];
    private string? _model;
    private Exception? _error;

    [SupplyParameterFromQuery(Name = "model")]
    public string? Model { get; set; }

    [Inject]
    private CatalogApi Catalog { get; set; } = default!;

    [Inject]
    private IOptions<PortalOptions> Options { get; set; } = default!;

    private string ProxyUrl => Options.Value.ProxyUrl;

    private IEnumerable<(string, string)> Current
    {
        get
        {
            var kind = _models.FirstOrDefault(m => m.Alias == _model)?.Kind ?? ModelKind.Chat;
            yield return ("curl", Snippets.Curl(ProxyUrl, _model!, kind));
            yield return ("Python (openai)", Snippets.Python(ProxyUrl, _model!, kind));
            yield return (".NET (OpenAI)", Snippets.DotNet(ProxyUrl, _model!, kind));
        }
    }

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _models = [.. (await Catalog.ListAsync(new ModelQuery { PageSize = Paging.MaxPageSize, HideRetired = true, Sort = "alias" }, CancellationToken.None)).Items
                .Where(m => m.Kind is ModelKind.Chat or ModelKind.Embeddings)];
            _model = _models.FirstOrDefault(m => m.Alias == Model)?.Alias ?? _models.FirstOrDefault()?.Alias;
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _error = ex;
        }
    }

    private void ModelChanged(string value) => _model = value;

    private async Task CopyAsync(string code)
    {
        try
        {
            await JS.InvokeVoidAsync("navigator.clipboard.writeText", code);
            Snackbar.Add("Copied.", Severity.Success);
        }
        catch (JSException)
        {
            Snackbar.Add("The browser did not allow copying; select the text and copy it by hand.", Severity.Warning);
        }
    }
}
