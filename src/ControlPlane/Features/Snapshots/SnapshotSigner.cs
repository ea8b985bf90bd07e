using System.IO.Compression;
using System.Security.Cryptography;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Grpc;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Features.Identity;
using Gateway.ControlPlane.Infrastructure;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace Gateway.ControlPlane.Features.Snapshots;

/// <summary>Signs snapshot JSON with the control plane's ECDSA P-256 key (persisted on the default run, configured elsewhere).</summary>
internal sealed class SnapshotSigner : IDisposable
{
    private readonly ECDsa _key;
    private readonly int _gzipThreshold;

    public SnapshotSigner(IOptions<SnapshotOptions> options, IOptions<ControlPlaneOptions> controlPlane)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(controlPlane);
        var cp = controlPlane.Value;
        _key = KeyFiles.LoadOrCreateEcdsa(options.Value.SigningKeyFile, cp.DataPath("snapshot-signing.pem"), cp.DefaultRun.Enabled, "ControlPlane:Snapshot:SigningKeyFile");
        _gzipThreshold = options.Value.GzipThresholdBytes;
        KeyId = SnapshotSigning.KeyIdOf(_key);
        PublicKeyPem = _key.ExportSubjectPublicKeyInfoPem();
    }

    public string KeyId { get; }

    /// <summary>The public key proxies verify with (<c>GET /snapshot/public-key</c>).</summary>
    public string PublicKeyPem { get; }

    public SignedSnapshot Sign(long revision, byte[] json)
    {
        var signature = SnapshotSigning.Sign(_key, json);
        var gzip = json.Length > _gzipThreshold;
        return new SignedSnapshot
        {
            Revision = revision,
            Payload = ByteString.CopyFrom(gzip ? Compress(json) : json),
            Signature = ByteString.CopyFrom(signature),
            SigningKeyId = KeyId,
            Gzip = gzip,
        };
    }

    /// <summary>Signs the audit chain's head (<see cref="AuditHeadSigning.Payload"/>) with the same key.</summary>
    public AuditHeadDto SignAuditHead(long sequence, string hash, DateTimeOffset signedAt) =>
        new(sequence, hash, signedAt, KeyId, Convert.ToBase64String(SnapshotSigning.Sign(_key, AuditHeadSigning.Payload(sequence, hash, signedAt))));

    private static byte[] Compress(byte[] json)
    {
        using var output = new MemoryStream(json.Length / 4);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(json);
        return output.ToArray();
    }

    public void Dispose() => _key.Dispose();
}
