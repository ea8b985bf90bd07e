using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.ControlPlane.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// The data-protection keys (sign-in cookie, antiforgery) on the replicas' shared directory are
/// encrypted with a certificate from the secret store, readable again after the certificate is
/// rotated, and a production start without a certificate refuses to keep them in plain text.
/// </summary>
public sealed class DataProtectionKeysTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cp-dp-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Keys => Path.Combine(_dir.FullName, "keys");

    private (string Certificate, string Key) Certificate(string name)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_dir.FullName, name + ".pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_dir.FullName, name + ".key.pem"), rsa.ExportPkcs8PrivateKeyPem());
        return (path, Path.Combine(_dir.FullName, name + ".key.pem"));
    }

    [Fact]
    public async Task TheKeyRing_IsEncryptedAtRest_AndStillReadsAfterTheCertificateIsRotated()
    {
        var first = Certificate("dp-first");
        string protectedText;
        await using (var host = new ConfiguredSqliteFixture(
            [new("ControlPlane:DataProtectionDirectory", Keys), new("ControlPlane:DataProtectionCertificateFile", first.Certificate), new("ControlPlane:DataProtectionCertificateKeyFile", first.Key)]))
        {
            await host.InitializeAsync();
            protectedText = host.App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("a session");
            // A real sign-in works on the encrypted ring.
            Assert.False(string.IsNullOrEmpty(await host.TokenAsync("dev@demo.bank")));
        }

        var files = Directory.GetFiles(Keys, "*.xml");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var xml = await File.ReadAllTextAsync(file, Api.Ct);
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal); // the plain-text form of a key
        }

        // The certificate is rotated: the new one encrypts, the old one still reads what it encrypted.
        var second = Certificate("dp-second");
        await using (var host = new ConfiguredSqliteFixture(
            [new("ControlPlane:DataProtectionDirectory", Keys), new("ControlPlane:DataProtectionCertificateFile", second.Certificate), new("ControlPlane:DataProtectionCertificateKeyFile", second.Key),
             new("ControlPlane:DataProtectionPreviousCertificateFiles:0", first.Certificate)]))
        {
            await host.InitializeAsync();
            Assert.Equal("a session", host.App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText));
        }

        // Without the old certificate the ring cannot be read: the rotation needs it kept for a while.
        await using (var host = new ConfiguredSqliteFixture(
            [new("ControlPlane:DataProtectionDirectory", Keys), new("ControlPlane:DataProtectionCertificateFile", second.Certificate), new("ControlPlane:DataProtectionCertificateKeyFile", second.Key)]))
        {
            await host.InitializeAsync();
            Assert.ThrowsAny<CryptographicException>(() => host.App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText));
        }
    }

    [Fact]
    public async Task ASharedDirectoryWithoutACertificate_StopsAProductionStart()
    {
        await using var host = new ConfiguredSqliteFixture([new("ControlPlane:DataProtectionDirectory", Keys)]);
        var error = await Record.ExceptionAsync(() => host.InitializeAsync().AsTask());
        Assert.NotNull(error);
        Assert.Contains("ControlPlane:DataProtectionCertificateFile", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Keys) && Directory.GetFiles(Keys).Length > 0, "keys were written in plain text");
    }

    [Fact]
    public async Task ACertificateWithoutItsKey_StopsTheStart_NamingTheFile()
    {
        var (certificate, _) = Certificate("dp-nokey");
        await using var host = new ConfiguredSqliteFixture([new("ControlPlane:DataProtectionDirectory", Keys), new("ControlPlane:DataProtectionCertificateFile", certificate)]);
        var error = await Record.ExceptionAsync(() => host.InitializeAsync().AsTask());
        Assert.NotNull(error);
        Assert.Contains(certificate, error.ToString(), StringComparison.Ordinal);
    }
}
