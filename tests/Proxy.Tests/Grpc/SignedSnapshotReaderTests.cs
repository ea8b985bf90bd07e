using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Gateway.Contracts.Grpc;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Snapshots.Grpc;
using Gateway.Proxy.Tests.Infrastructure;
using Google.Protobuf;

namespace Gateway.Proxy.Tests.Grpc;

/// <summary>Signature verification, gzip and payload checks of snapshots streamed by the control plane.</summary>
public sealed class SignedSnapshotReaderTests : IDisposable
{
    private const int Max = 1024 * 1024;
    private readonly ECDsa _signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly SnapshotVerificationKey _key;

    public SignedSnapshotReaderTests() => _key = new SnapshotVerificationKey(_signer.ExportSubjectPublicKeyInfoPem(), pinned: true);

    public void Dispose() => _signer.Dispose();

    private static byte[] Json(long revision = 5) => SnapshotJson.SerializeToUtf8Bytes(TestWorld.Snapshot("http://127.0.0.1:9", revision: revision));

    private SignedSnapshot Sign(byte[] json, long revision = 5, bool gzip = false, ECDsa? key = null) => new()
    {
        Revision = revision,
        Payload = ByteString.CopyFrom(gzip ? Gzip(json) : json),
        Signature = ByteString.CopyFrom(SnapshotSigning.Sign(key ?? _signer, json)),
        SigningKeyId = SnapshotSigning.KeyIdOf(key ?? _signer),
        Gzip = gzip,
    };

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(bytes);
        return output.ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ValidSnapshot_IsRead_PlainOrGzipped(bool gzip)
    {
        var result = SignedSnapshotReader.Read(Sign(Json(), gzip: gzip), _key, Max);

        Assert.Null(result.Problem);
        Assert.Equal(5, result.Snapshot!.Revision);
        Assert.Equal(TestWorld.Snapshot("http://127.0.0.1:9", revision: 5).Keys.Count, result.Snapshot.Keys.Count);
    }

    [Fact]
    public void FlippedSignatureBit_IsRefused()
    {
        var message = Sign(Json());
        var signature = message.Signature.ToByteArray();
        signature[10] ^= 0x80;
        message.Signature = ByteString.CopyFrom(signature);

        var result = SignedSnapshotReader.Read(message, _key, Max);

        Assert.Null(result.Snapshot);
        Assert.Contains("signature does not verify", result.Problem, StringComparison.Ordinal);
        Assert.False(result.WrongKey);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ChangedPayload_WithTheOriginalSignature_IsRefused(bool gzip)
    {
        var json = Json();
        var message = Sign(json, gzip: gzip);
        var forged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json).Replace("\"revision\":5", "\"revision\":5 ", StringComparison.Ordinal));
        Assert.NotEqual(json.Length, forged.Length);
        message.Payload = ByteString.CopyFrom(gzip ? Gzip(forged) : forged);

        var result = SignedSnapshotReader.Read(message, _key, Max);

        Assert.Null(result.Snapshot);
        Assert.Contains("signature does not verify", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void SignedByAnotherKey_ClaimingOurKeyId_IsRefused()
    {
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var message = Sign(Json(), key: attacker);
        message.SigningKeyId = _key.KeyId;

        var result = SignedSnapshotReader.Read(message, _key, Max);

        Assert.Contains("signature does not verify", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherKeyId_IsRefusedAsWrongKey_NamingBothKeys()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var result = SignedSnapshotReader.Read(Sign(Json(), key: other), _key, Max);

        Assert.True(result.WrongKey);
        Assert.Contains(SnapshotSigning.KeyIdOf(other), result.Problem, StringComparison.Ordinal);
        Assert.Contains(_key.KeyId, result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyOrTruncatedSignature_IsRefused()
    {
        var message = Sign(Json());
        message.Signature = ByteString.CopyFrom(message.Signature.Span[..10]);
        Assert.Contains("signature does not verify", SignedSnapshotReader.Read(message, _key, Max).Problem, StringComparison.Ordinal);

        message.Signature = ByteString.Empty;
        Assert.Contains("signature does not verify", SignedSnapshotReader.Read(message, _key, Max).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptGzip_IsRefused()
    {
        var message = Sign(Json(), gzip: true);
        var payload = message.Payload.ToByteArray();
        payload[0] = 0;
        message.Payload = ByteString.CopyFrom(payload);

        Assert.Contains("gzip payload is corrupt", SignedSnapshotReader.Read(message, _key, Max).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void GzipMarkedButPlain_IsRefused()
    {
        var message = Sign(Json());
        message.Gzip = true;

        Assert.Contains("gzip", SignedSnapshotReader.Read(message, _key, Max).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void GzipBomb_IsNotInflatedPastTheLimit()
    {
        var huge = new byte[8 * Max];
        var message = new SignedSnapshot { Revision = 5, Payload = ByteString.CopyFrom(Gzip(huge)), Signature = ByteString.CopyFrom(new byte[64]), SigningKeyId = _key.KeyId, Gzip = true };
        Assert.True(message.Payload.Length < Max / 10);

        Assert.Contains($"inflates to more than {Max} bytes", SignedSnapshotReader.Read(message, _key, Max).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainPayloadOverTheLimit_IsRefused()
    {
        var json = Json();

        Assert.Contains("larger than", SignedSnapshotReader.Read(Sign(json), _key, json.Length - 1).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void SignedButMalformedJson_IsRefused_NamingThePath()
    {
        var json = """{"revision":5,"issuedAt":"2026-01-01T00:00:00Z","teams":[{"id":"t","name":"n","costCentre":1001}]}"""u8.ToArray();

        var result = SignedSnapshotReader.Read(Sign(json), _key, Max);

        Assert.Contains("not a valid snapshot at $.teams[0].costCentre", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void PayloadRevision_MustBeTheMessageRevision()
    {
        var result = SignedSnapshotReader.Read(Sign(Json(revision: 4), revision: 9), _key, Max);

        Assert.Contains("holds revision 4, the message says 9", result.Problem, StringComparison.Ordinal);
    }
}
