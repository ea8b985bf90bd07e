namespace Gateway.Proxy.Snapshots;

/// <summary>
/// Resolves a provider's credential reference on this node: <c>env:NAME</c> reads an environment
/// variable, <c>file:/path</c> reads a file (trimmed). The secret never leaves memory.
/// </summary>
internal sealed partial class CredentialResolver(ILogger<CredentialResolver> logger)
{
    public ProviderCredential Resolve(string providerId, string? reference)
    {
        if (reference is null) return ProviderCredential.None;
        string? secret = null;
        try
        {
            if (reference.StartsWith("env:", StringComparison.Ordinal))
                secret = Environment.GetEnvironmentVariable(reference[4..]);
            else if (reference.StartsWith("file:", StringComparison.Ordinal))
            {
                var path = reference[5..];
                if (File.Exists(path)) secret = File.ReadAllText(path).Trim();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCredentialUnreadable(providerId, reference, ex.GetType().Name);
        }
        if (string.IsNullOrEmpty(secret))
        {
            LogCredentialMissing(providerId, reference);
            return new ProviderCredential(reference, null);
        }
        return new ProviderCredential(reference, secret);
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "Provider {ProviderId}: credential reference {Reference} did not resolve; its deployments are skipped until it does")]
    private partial void LogCredentialMissing(string providerId, string reference);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "Provider {ProviderId}: credential reference {Reference} could not be read ({Error})")]
    private partial void LogCredentialUnreadable(string providerId, string reference, string error);
}
