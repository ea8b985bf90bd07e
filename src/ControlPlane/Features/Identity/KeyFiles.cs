using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.ControlPlane.Features.Identity;

/// <summary>
/// Private keys from PEM files. On the default run a missing key is generated once and persisted
/// (mode 600) under the data directory, never committed; elsewhere a missing key stops start-up.
/// </summary>
internal static class KeyFiles
{
    public static RsaSecurityKey LoadOrCreateRsa(string? configuredPath, string defaultRunPath, bool defaultRun, string setting)
    {
        var path = ResolvePath(configuredPath, defaultRunPath, defaultRun, setting);
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            rsa.KeySize = 2048;
            Persist(path, rsa.ExportPkcs8PrivateKeyPem());
        }
        return new RsaSecurityKey(rsa) { KeyId = Convert.ToHexStringLower(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()))[..16] };
    }

    public static ECDsa LoadOrCreateEcdsa(string? configuredPath, string defaultRunPath, bool defaultRun, string setting)
    {
        var path = ResolvePath(configuredPath, defaultRunPath, defaultRun, setting);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(path)) key.ImportFromPem(File.ReadAllText(path));
        else Persist(path, key.ExportPkcs8PrivateKeyPem());
        return key;
    }

    private static string ResolvePath(string? configuredPath, string defaultRunPath, bool defaultRun, string setting)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            return File.Exists(configuredPath)
                ? configuredPath
                : throw new InvalidOperationException($"{setting}: the key file '{configuredPath}' does not exist.");
        }
        return defaultRun
            ? defaultRunPath
            : throw new InvalidOperationException($"{setting} is required outside the default run (a PEM private key file).");
    }

    private static void Persist(string path, string pem)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(pem);
    }
}
