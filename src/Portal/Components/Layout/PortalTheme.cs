using MudBlazor;

namespace Gateway.Portal.Components.Layout;

/// <summary>The Portal's MudBlazor theme: the bank's blue, system fonts (no web fonts to fetch).</summary>
internal static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f4e8c",
            Secondary = "#00897b",
            AppbarBackground = "#1f4e8c",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"] },
        },
    };
}
