using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Contracts.Keys;

/// <summary>
/// The gateway's API key: <c>sk-gw-{keyId}_{secret}</c>, where <c>keyId</c> is 12 characters of
/// [a-z0-9] (public: it finds the key's record, and the first 18 characters are shown as the
/// key's prefix) and <c>secret</c> is 40 characters of [A-Za-z0-9]. Only the SHA-256 of the
/// whole key is stored anywhere; the key itself is shown once, at creation.
/// </summary>
public static class ApiKeyFormat
{
    public const string Prefix = "sk-gw-";
    public const int KeyIdLength = 12;
    public const int SecretLength = 40;
    public const char Separator = '_';

    /// <summary>Total length of a key.</summary>
    public const int Length = 6 + KeyIdLength + 1 + SecretLength;

    /// <summary>Length of the displayable prefix (<c>sk-gw-{keyId}</c>).</summary>
    public const int DisplayPrefixLength = 6 + KeyIdLength;

    private const string KeyIdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly SearchValues<char> KeyIdChars = SearchValues.Create(KeyIdAlphabet);
    private static readonly SearchValues<char> SecretChars = SearchValues.Create(SecretAlphabet);
    private static readonly SearchValues<char> HexLower = SearchValues.Create("0123456789abcdef");

    /// <summary>A new random key (cryptographic RNG).</summary>
    public static string Generate() =>
        Compose(RandomNumberGenerator.GetString(KeyIdAlphabet, KeyIdLength), RandomNumberGenerator.GetString(SecretAlphabet, SecretLength));

    /// <summary>A key with a given id and secret (both validated).</summary>
    public static string Compose(string keyId, string secret)
    {
        if (!IsValidKeyId(keyId)) throw new ArgumentException($"A key id is {KeyIdLength} characters of a-z and 0-9.", nameof(keyId));
        if (secret is not { Length: SecretLength } || secret.AsSpan().IndexOfAnyExcept(SecretChars) >= 0)
            throw new ArgumentException($"A key secret is {SecretLength} characters of A-Z, a-z and 0-9.", nameof(secret));
        return string.Concat(Prefix, keyId, "_", secret);
    }

    /// <summary>
    /// Reads the key id out of a presented key without allocating. False when the text does
    /// not have the key's shape (the caller answers 401 the same way as for an unknown id).
    /// </summary>
    public static bool TryGetKeyId(ReadOnlySpan<char> key, out ReadOnlySpan<char> keyId)
    {
        keyId = default;
        if (key.Length != Length || !key.StartsWith(Prefix, StringComparison.Ordinal) || key[6 + KeyIdLength] != Separator)
            return false;
        var id = key.Slice(6, KeyIdLength);
        if (id.IndexOfAnyExcept(KeyIdChars) >= 0 || key[(6 + KeyIdLength + 1)..].IndexOfAnyExcept(SecretChars) >= 0)
            return false;
        keyId = id;
        return true;
    }

    public static bool IsValidKeyId(string? keyId) =>
        keyId is { Length: KeyIdLength } && keyId.AsSpan().IndexOfAnyExcept(KeyIdChars) < 0;

    public static bool IsValidHashHex(string? hash) =>
        hash is { Length: 64 } && hash.AsSpan().IndexOfAnyExcept(HexLower) < 0;

    /// <summary>SHA-256 of the key's UTF-8 bytes into <paramref name="destination"/> (32 bytes), without allocating.</summary>
    public static void ComputeHash(ReadOnlySpan<char> key, Span<byte> destination)
    {
        Span<byte> utf8 = stackalloc byte[256];
        var written = key.Length <= 256 ? Encoding.UTF8.GetBytes(key, utf8) : -1;
        if (written < 0)
        {
            var rented = Encoding.UTF8.GetBytes(key.ToString());
            SHA256.HashData(rented, destination);
            return;
        }
        SHA256.HashData(utf8[..written], destination);
    }

    /// <summary>The lowercase hex SHA-256 stored for a key.</summary>
    public static string HashToHex(string key)
    {
        Span<byte> hash = stackalloc byte[32];
        ComputeHash(key, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The displayable, non-secret prefix of a key (<c>sk-gw-{keyId}</c>).</summary>
    public static string DisplayPrefix(string key) =>
        key.Length >= DisplayPrefixLength ? key[..DisplayPrefixLength] : key;
}
