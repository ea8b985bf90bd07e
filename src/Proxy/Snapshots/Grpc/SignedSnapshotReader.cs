using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Contracts.Grpc;
using Gateway.Contracts.Snapshot;

namespace Gateway.Proxy.Snapshots.Grpc;

/// <summary>The outcome of reading one streamed snapshot: the snapshot, or why it was refused.</summary>
internal sealed record SnapshotReadResult(GatewaySnapshot? Snapshot, string? Problem, bool WrongKey = false)
{
    public static SnapshotReadResult Refused(string problem, bool wrongKey = false) => new(null, problem, wrongKey);
}

/// <summary>
/// Turns a <see cref="SignedSnapshot"/> from the control plane into a snapshot, or refuses it
/// naming why: signed with another key, corrupt gzip, larger than allowed, a signature that does
/// not verify over the uncompressed payload (ECDSA P-256/SHA-256), JSON that does not parse (the
/// path of the bad element), or a payload whose revision is not the message's.
/// </summary>
internal static class SignedSnapshotReader
{
    public static SnapshotReadResult Read(SignedSnapshot message, SnapshotVerificationKey key, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(key);
        if (!string.Equals(message.SigningKeyId, key.KeyId, StringComparison.Ordinal))
            return SnapshotReadResult.Refused($"signed with key '{message.SigningKeyId}', but this proxy verifies with key '{key.KeyId}'", wrongKey: true);

        byte[] payload;
        if (message.Gzip)
        {
            if (!TryInflate(message.Payload.Span, maxBytes, out payload, out var problem)) return SnapshotReadResult.Refused(problem);
        }
        else
        {
            if (message.Payload.Length > maxBytes) return SnapshotReadResult.Refused($"the payload is larger than {maxBytes} bytes");
            payload = message.Payload.ToByteArray();
        }

        bool verified;
        try
        {
            verified = SnapshotSigning.Verify(key.Key, payload, message.Signature.Span);
        }
        catch (CryptographicException)
        {
            verified = false;
        }
        if (!verified) return SnapshotReadResult.Refused("the signature does not verify over the payload (tampered or signed by another key)");

        GatewaySnapshot snapshot;
        try
        {
            snapshot = SnapshotJson.Deserialize(payload);
        }
        catch (JsonException e)
        {
            return SnapshotReadResult.Refused($"the payload is not a valid snapshot{(e.Path is { } path ? " at " + path : "")}: {e.Message}");
        }
        if (snapshot.Revision != message.Revision)
            return SnapshotReadResult.Refused($"the payload holds revision {snapshot.Revision}, the message says {message.Revision}");
        return new SnapshotReadResult(snapshot, null);
    }

    /// <summary>Inflates gzip without going past <paramref name="maxBytes"/> (a small bomb stays small).</summary>
    internal static bool TryInflate(ReadOnlySpan<byte> compressed, int maxBytes, out byte[] payload, out string problem)
    {
        payload = [];
        problem = "";
        try
        {
            using var input = new MemoryStream(compressed.ToArray(), writable: false);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream(Math.Min(maxBytes, Math.Max(4096, compressed.Length * 4)));
            var buffer = new byte[81920];
            int read;
            while ((read = gzip.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > maxBytes)
                {
                    problem = $"the payload inflates to more than {maxBytes} bytes";
                    return false;
                }
                output.Write(buffer, 0, read);
            }
            if (output.Length == 0)
            {
                problem = "the gzip payload is empty";
                return false;
            }
            payload = output.ToArray();
            return true;
        }
        catch (InvalidDataException e)
        {
            problem = $"the gzip payload is corrupt: {e.Message}";
            return false;
        }
    }
}
