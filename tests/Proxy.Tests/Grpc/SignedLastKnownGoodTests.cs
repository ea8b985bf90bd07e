using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Gateway.Contracts.Grpc;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.ControlPlane;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Snapshots.Grpc;
using Gateway.Proxy.Tests.Infrastructure;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Tests.Grpc;

/// <summary>
/// The last-known-good copy of a proxy fed by the control plane: kept as it was signed, verified
/// again before it is used (with the pinned key, or the key it arrived with), so that a copy edited
/// on disk is refused like a tampered snapshot from the feed.
/// </summary>
public sealed class SignedLastKnownGoodTests : IDisposable
{
    private readonly ECDsa _signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lkg-signed-");
    private readonly FakeLogCollector _logs = new();

    public void Dispose()
    {
        _signer.Dispose();
        _dir.Delete(recursive: true);
    }

    private string Pem => _signer.ExportSubjectPublicKeyInfoPem();

    private LastKnownGood Copy(string? pinned = null) => new(
        Options.Create(new ProxyOptions { DataDirectory = _dir.FullName }),
        Options.Create(new ControlPlaneOptions { GrpcUrl = "http://127.0.0.1:9", Authority = "http://127.0.0.1:9", ClientSecret = "s", SigningPublicKey = pinned }),
        new FakeLogger<LastKnownGood>(_logs));

    private SignedSnapshot Sign(GatewaySnapshot snapshot, bool gzip = true)
    {
        var json = SnapshotJson.SerializeToUtf8Bytes(snapshot);
        return new SignedSnapshot
        {
            Revision = snapshot.Revision,
            Payload = ByteString.CopyFrom(gzip ? Gzip(json) : json),
            Signature = ByteString.CopyFrom(SnapshotSigning.Sign(_signer, json)),
            SigningKeyId = SnapshotSigning.KeyIdOf(_signer),
            Gzip = gzip,
        };
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(bytes);
        return output.ToArray();
    }

    private static GatewaySnapshot World(long revision = 12) => TestWorld.Snapshot("http://127.0.0.1:9", revision: revision);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheSignedMessage_IsKept_AndReadBackAfterItVerifies(bool pinned)
    {
        var copy = Copy(pinned ? Pem : null);
        copy.WriteSigned(Sign(World()), new SnapshotVerificationKey(Pem, pinned));

        Assert.Equal(Path.Combine(_dir.FullName, LastKnownGood.SignedFileName), copy.Path);
        Assert.Equal(!pinned, File.Exists(Path.Combine(_dir.FullName, LastKnownGood.KeyFileName)));
        Assert.False(File.Exists(Path.Combine(_dir.FullName, LastKnownGood.FileName)));
        var read = copy.Read();
        Assert.NotNull(read);
        Assert.Equal(12, read.Revision);
        Assert.Equal(World().Keys.Select(k => k.Hash), read.Keys.Select(k => k.Hash));
        Assert.DoesNotContain(_logs.GetSnapshot(), r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public void TheKeyBesideTheCopy_IsWrittenOnlyWhenItChanges_OrIsGone()
    {
        var copy = Copy();
        var key = new SnapshotVerificationKey(Pem, pinned: false);
        var keyFile = Path.Combine(_dir.FullName, LastKnownGood.KeyFileName);
        copy.WriteSigned(Sign(World(12)), key);
        var written = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(keyFile, written);

        copy.WriteSigned(Sign(World(13)), key);
        Assert.Equal(written, File.GetLastWriteTimeUtc(keyFile)); // the same key: not rewritten
        Assert.Equal(13, copy.Read()!.Revision);

        File.Delete(keyFile);
        copy.WriteSigned(Sign(World(14)), key);
        Assert.Equal(14, copy.Read()!.Revision); // gone: written again

        using var rotated = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var message = Sign(World(15));
        message.Signature = ByteString.CopyFrom(SnapshotSigning.Sign(rotated, SnapshotJson.SerializeToUtf8Bytes(World(15))));
        message.SigningKeyId = SnapshotSigning.KeyIdOf(rotated);
        copy.WriteSigned(message, new SnapshotVerificationKey(rotated.ExportSubjectPublicKeyInfoPem(), pinned: false));
        Assert.Equal(15, copy.Read()!.Revision); // another key: written
    }

    public static TheoryData<string> Edits => ["a key let in", "a limit raised", "a byte flipped in the gzip", "the signature cut short", "the file cut short"];

    [Theory]
    [MemberData(nameof(Edits))]
    public void ACopyEditedOnDisk_IsRefused_AndSaysWhy(string edit)
    {
        var copy = Copy(Pem);
        var message = Sign(World());
        copy.WriteSigned(message, new SnapshotVerificationKey(Pem, pinned: true));
        var edited = World();
        switch (edit)
        {
            case "a key let in":
                edited.Keys = [.. edited.Keys, edited.Keys[0] with { KeyId = "intruder0001", Hash = new string('a', 64) }];
                message.Payload = ByteString.CopyFrom(Gzip(SnapshotJson.SerializeToUtf8Bytes(edited)));
                break;
            case "a limit raised":
                edited.Teams = [.. edited.Teams.Select(t => t with { Limits = new LimitSpec(1_000_000, 1_000_000_000, 10_000) })];
                message.Payload = ByteString.CopyFrom(Gzip(SnapshotJson.SerializeToUtf8Bytes(edited)));
                break;
            case "a byte flipped in the gzip":
                var bytes = message.Payload.ToByteArray();
                bytes[bytes.Length / 2] ^= 0x10;
                message.Payload = ByteString.CopyFrom(bytes);
                break;
            case "the signature cut short":
                message.Signature = ByteString.CopyFrom(message.Signature.Span[..10]);
                break;
        }
        var file = message.ToByteArray();
        File.WriteAllBytes(copy.Path, edit == "the file cut short" ? file[..(file.Length / 2)] : file);

        Assert.Null(copy.Read());
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id is 1013 or 1014 && r.Level >= LogLevel.Warning && r.Message.Contains(copy.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void ACopySignedByAnotherKey_IsRefused_WhenAKeyIsPinned()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var copy = Copy(other.ExportSubjectPublicKeyInfoPem());
        copy.WriteSigned(Sign(World()), new SnapshotVerificationKey(Pem, pinned: false)); // and the key it came with beside it

        Assert.Null(copy.Read());
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == 1014 && r.Message.Contains("verifies with key", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutAPinnedKey_TheKeyBesideTheCopyIsNeeded_AndMustBeTheOneItWasSignedWith()
    {
        var copy = Copy();
        copy.WriteSigned(Sign(World()), new SnapshotVerificationKey(Pem, pinned: false));
        var keyFile = Path.Combine(_dir.FullName, LastKnownGood.KeyFileName);

        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(keyFile, other.ExportSubjectPublicKeyInfoPem());
        Assert.Null(copy.Read());
        File.WriteAllText(keyFile, "not a key");
        Assert.Null(copy.Read());
        File.Delete(keyFile);
        Assert.Null(copy.Read());
        Assert.Equal(3, _logs.GetSnapshot().Count(r => r.Id.Id == 1014));
    }

    [Fact]
    public void AJsonCopy_IsNotReadByAProxyFedByTheControlPlane_NorWrittenByIt()
    {
        // An unsigned copy could say anything: a fed proxy neither trusts one nor leaves one behind.
        var standalone = new LastKnownGood(Options.Create(new ProxyOptions { DataDirectory = _dir.FullName }), Options.Create(new ControlPlaneOptions()), new FakeLogger<LastKnownGood>(_logs));
        var store = Compiled.Store();
        store.Applied += standalone.Write;
        Assert.True(store.TryApply(World(), "file", out _));
        Assert.NotNull(standalone.Read());

        var fed = Copy(Pem);
        Assert.Null(fed.Read());
        var before = File.GetLastWriteTimeUtc(standalone.Path);
        fed.Write(store.Current!);
        Assert.Equal(before, File.GetLastWriteTimeUtc(standalone.Path));
        Assert.False(File.Exists(fed.Path));
    }
}
