using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace Gateway.ControlPlane.Infrastructure;

/// <summary>
/// Where the control plane's data-protection keys live (they protect the sign-in cookie and the
/// antiforgery tokens) and how they are kept at rest. The replicas share a directory
/// (<c>ControlPlane:DataProtectionDirectory</c>); in it the key ring is encrypted with a
/// certificate (<c>ControlPlane:DataProtectionCertificateFile</c> and <c>…CertificateKeyFile</c>,
/// PEM, from the bank's secret store), with earlier certificates kept for reading the keys they
/// encrypted (<c>…PreviousCertificateFiles:n</c>, each <c>cert.pem</c> with its key beside it as
/// <c>cert.key.pem</c>). Outside Development a shared directory without a certificate is a start
/// error: the keys would lie on the volume in plain text. The default run (a developer's machine)
/// keeps them unencrypted under its data directory.
/// </summary>
internal static class DataProtectionKeys
{
    public static void Configure(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("gateway-controlplane");
        if (configuration["ControlPlane:DataProtectionDirectory"] is { Length: > 0 } keys)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keys));
            if (configuration["ControlPlane:DataProtectionCertificateFile"] is { Length: > 0 } certificateFile)
            {
                var current = Load(certificateFile, configuration["ControlPlane:DataProtectionCertificateKeyFile"]);
                var previous = configuration.GetSection("ControlPlane:DataProtectionPreviousCertificateFiles").Get<string[]>() ?? [];
                dataProtection.ProtectKeysWithCertificate(current)
                    .UnprotectKeysWithAnyCertificate([current, .. previous.Select(f => Load(f, KeyFileOf(f)))]);
            }
            else if (!builder.Environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    "ControlPlane:DataProtectionDirectory is set without ControlPlane:DataProtectionCertificateFile: the data-protection keys would be stored unencrypted. " +
                    "Give the certificate (and ControlPlane:DataProtectionCertificateKeyFile) from the secret store; see docs/operations.md.");
            }
        }
        else if (configuration.GetValue<bool>("ControlPlane:DefaultRun:Enabled"))
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(configuration["ControlPlane:DataDirectory"] ?? "data"), "dp-keys")));
        }
    }

    /// <summary><c>cert.pem</c>'s key file by convention: <c>cert.key.pem</c>.</summary>
    private static string KeyFileOf(string certificateFile) =>
        Path.Combine(Path.GetDirectoryName(certificateFile) ?? "", Path.GetFileNameWithoutExtension(certificateFile) + ".key.pem");

    private static X509Certificate2 Load(string certificateFile, string? keyFile)
    {
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certificateFile, string.IsNullOrEmpty(keyFile) ? null : keyFile);
            if (!certificate.HasPrivateKey) throw new InvalidOperationException($"The data-protection certificate {certificateFile} has no private key (give ControlPlane:DataProtectionCertificateKeyFile).");
            return certificate;
        }
        catch (Exception e) when (e is CryptographicException or IOException or ArgumentException)
        {
            throw new InvalidOperationException($"The data-protection certificate {certificateFile} could not be read: {e.Message}", e);
        }
    }
}
