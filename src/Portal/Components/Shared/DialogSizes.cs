using MudBlazor;

namespace Gateway.Portal.Components.Shared;

/// <summary>The Portal's dialog options: full width up to a size, closable with Escape.</summary>
internal static class DialogSizes
{
    public static readonly DialogOptions Small = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };

    public static readonly DialogOptions Medium = new() { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true };
}
