namespace Gateway.Proxy.Tests.Infrastructure;

/// <summary>The repository the tests run from, for tests that read its own documents and code.</summary>
internal static class Repository
{
    /// <summary>The folder holding <c>Portal.sln</c>, found upwards from the test assembly.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Portal.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"Portal.sln not found above {AppContext.BaseDirectory}");
    }
}
