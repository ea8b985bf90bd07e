using System.Security.Cryptography;
using Gateway.Contracts.Keys;
using Gateway.Proxy.Snapshots;

namespace Gateway.Proxy.Policies.Authentication;

/// <summary>Why a presented key was refused (for logs and metrics; the client always sees the same 401).</summary>
internal enum AuthenticationResult
{
    Success,
    Missing,
    Malformed,
    Unknown,
    Mismatch,
    Expired,
    Revoked,

    /// <summary>A valid key, used from outside its allowed networks (403, not 401).</summary>
    NetworkNotAllowed,
}

/// <summary>
/// Checks a presented key against the snapshot: the key id finds the record, then the SHA-256 of
/// the whole key is compared in constant time. The hash is computed and compared whether or not
/// the id exists (against a dummy), so the time taken does not tell which ids exist. No allocation.
/// </summary>
internal static class KeyAuthenticator
{
    private static readonly byte[] DummyHash = SHA256.HashData("gateway-dummy-key-hash"u8);

    /// <summary>Longest credential worth hashing; anything longer is not a gateway key.</summary>
    private const int MaxPresentedLength = 256;

    public static AuthenticationResult Authenticate(CompiledSnapshot snapshot, ReadOnlySpan<char> presented, DateTimeOffset now, out CompiledKey? key)
    {
        key = null;
        if (presented.IsEmpty) return AuthenticationResult.Missing;
        if (presented.Length > MaxPresentedLength) return AuthenticationResult.Malformed;

        Span<byte> hash = stackalloc byte[32];
        ApiKeyFormat.ComputeHash(presented, hash);
        var wellFormed = ApiKeyFormat.TryGetKeyId(presented, out var keyId);
        CompiledKey? found = null;
        if (wellFormed) snapshot.TryGetKey(keyId, out found);
        var matches = CryptographicOperations.FixedTimeEquals(hash, found is null ? DummyHash : found.Hash);

        if (!wellFormed) return AuthenticationResult.Malformed;
        if (found is null) return AuthenticationResult.Unknown;
        if (!matches) return AuthenticationResult.Mismatch;
        if (found.Revoked) return AuthenticationResult.Revoked;
        if (found.ExpiresAt <= now) return AuthenticationResult.Expired;
        key = found;
        return AuthenticationResult.Success;
    }
}
