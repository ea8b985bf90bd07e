using System.Security.Cryptography;

namespace Gateway.AppHost;

/// <summary>
/// Secrets the default run shares between its services, generated on first run and kept in the
/// git-ignored data directory (mode 600), never in the repository: the <c>gateway-proxy</c>
/// client secret that the proxy uses to get tokens from the control plane (which updates the
/// client's secret at every start, so a new file simply replaces the old secret).
/// </summary>
internal static class DefaultRunSecrets
{
    public static string ProxyClientSecretPath(string dataDirectory) => Path.Combine(dataDirectory, "apphost", "proxy-client-secret");

    /// <summary>The persisted proxy client secret; created (random, 256 bits) when absent or too short.</summary>
    public static string ProxyClientSecret(string dataDirectory)
    {
        var path = ProxyClientSecretPath(dataDirectory);
        if (Read(path) is { } existing) return existing;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var temp = path + "." + Environment.ProcessId + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(temp, System.Text.Encoding.ASCII, options))
        {
            writer.Write(secret);
        }
        File.Move(temp, path, overwrite: true);
        return secret;
    }

    private static string? Read(string path)
    {
        if (!File.Exists(path)) return null;
        var text = File.ReadAllText(path).Trim();
        return text.Length >= 32 ? text : null;
    }
}
