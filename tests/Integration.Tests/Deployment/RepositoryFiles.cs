using YamlDotNet.RepresentationModel;

namespace Gateway.Integration.Tests.Deployment;

/// <summary>The repository's files (found upwards from the test assembly) and YAML helpers over YamlDotNet's node model.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("The repository root (Portal.sln) was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Every YAML document in <paramref name="path"/>.</summary>
    public static List<YamlMappingNode> Documents(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    public static YamlNode? At(this YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var step in path)
        {
            if (current is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(step), out var next)) current = next;
            else return null;
        }
        return current;
    }

    public static string? Text(this YamlNode node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode node, params string[] path) =>
        node.At(path) is YamlSequenceNode seq ? seq.Children : [];

    public static Dictionary<string, string> Map(this YamlNode node, params string[] path) =>
        node.At(path) is YamlMappingNode map
            ? map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => (p.Value as YamlScalarNode)?.Value ?? "", StringComparer.Ordinal)
            : [];

    /// <summary>Every scalar under <paramref name="node"/>, with its path (for searches such as "no secret value").</summary>
    public static IEnumerable<(string Path, string Value)> Scalars(YamlNode node, string path = "")
    {
        switch (node)
        {
            case YamlScalarNode s:
                yield return (path, s.Value ?? "");
                break;
            case YamlMappingNode m:
                foreach (var (k, v) in m.Children)
                {
                    foreach (var x in Scalars(v, path + "/" + ((YamlScalarNode)k).Value)) yield return x;
                }
                break;
            case YamlSequenceNode q:
                var i = 0;
                foreach (var c in q.Children)
                {
                    foreach (var x in Scalars(c, $"{path}[{i++}]")) yield return x;
                }
                break;
        }
    }
}
