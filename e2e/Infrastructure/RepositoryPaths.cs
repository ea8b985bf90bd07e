namespace Gateway.E2E.Tests.Infrastructure;

internal static class RepositoryPaths
{
    /// <summary>The repository root: the first folder above the test binaries holding <c>Portal.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Where the journeys save the README's screenshots.</summary>
    public static string Screenshots => Path.Combine(Root, "docs", "screenshots");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    }
}
