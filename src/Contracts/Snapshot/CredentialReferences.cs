namespace Gateway.Contracts.Snapshot;

/// <summary>
/// Reads a secret by its reference (<see cref="SnapshotValidator.IsCredentialRef"/>): <c>env:NAME</c>
/// from the environment, <c>file:/path</c> from a file (trimmed). Used where a secret is needed (a
/// provider's credential on a proxy, a webhook's signing key on the control plane), never stored.
/// </summary>
public static class CredentialReferences
{
    /// <summary>The secret, or null when the variable or the file is not there or is empty; an unreadable file throws (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>).</summary>
    public static string? Read(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        string? secret = null;
        if (reference.StartsWith("env:", StringComparison.Ordinal))
        {
            secret = Environment.GetEnvironmentVariable(reference[4..]);
        }
        else if (reference.StartsWith("file:", StringComparison.Ordinal))
        {
            var path = reference[5..];
            if (File.Exists(path)) secret = File.ReadAllText(path).Trim();
        }
        return string.IsNullOrEmpty(secret) ? null : secret;
    }
}
