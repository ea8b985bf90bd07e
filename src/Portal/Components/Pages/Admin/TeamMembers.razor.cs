using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Admin;

public partial class TeamMembers
{
    private readonly FieldErrors _errors = new();
    private IReadOnlyList<TeamMemberDto>? _members;
    private string? _email;
    private TeamRole _role = TeamRole.Member;
    private Exception? _error;

    [Parameter, EditorRequired]
    public string TeamId { get; set; } = "";

    [Parameter]
    public EventCallback OnChanged { get; set; }

    [Inject]
    private TeamsApi Api { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        try
        {
            _members = (await Api.ListMembersAsync(TeamId, new TeamMemberQuery { PageSize = Paging.MaxPageSize, Sort = "email" }, CancellationToken.None)).Items;
            _error = null;
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _members ??= [];
            _error = ex;
        }
    }

    private async Task AddAsync()
    {
        _errors.Clear();
        _error = null;
        try
        {
            var member = await Api.AddMemberAsync(TeamId, new AddTeamMemberRequest(_email!.Trim(), _role), CancellationToken.None);
            Snackbar.Add($"{member.Email} is a {JsonNaming.EnumValue(member.Role)} of {TeamId}.", Severity.Success);
            _email = null;
            await LoadAsync();
            await OnChanged.InvokeAsync();
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _errors.Set(ex);
            _error = ex is ApiException { IsValidation: true } ? null : ex;
        }
    }

    private async Task RemoveAsync(TeamMemberDto member)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Remove member?", $"{member.Email} leaves {TeamId}.", yesText: "Remove", cancelText: "Keep");
        if (confirmed != true) return;
        try
        {
            await Api.RemoveMemberAsync(TeamId, member.UserId, CancellationToken.None);
            await LoadAsync();
            await OnChanged.InvokeAsync();
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            Snackbar.Add(Failures.MessageOf(ex), Severity.Error);
        }
    }
}
