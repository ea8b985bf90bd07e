using System.Security.Cryptography;

namespace Gateway.Contracts.Snapshot;

/// <summary>
/// Snapshots travel as their exact UTF-8 JSON bytes plus an ECDSA P-256 / SHA-256 signature over
/// those bytes. The control plane signs with its private key; a proxy verifies with the public key
/// it was configured with (or fetched over its authenticated channel) and rejects anything else.
/// </summary>
public static class SnapshotSigning
{
    public static byte[] Sign(ECDsa privateKey, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        return privateKey.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public static bool Verify(ECDsa publicKey, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return publicKey.VerifyData(payload, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>A short, stable id of a public key (first 16 hex chars of the SHA-256 of its SubjectPublicKeyInfo).</summary>
    public static string KeyIdOf(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
    }
}
