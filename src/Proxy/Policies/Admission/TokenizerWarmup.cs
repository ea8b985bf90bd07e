namespace Gateway.Proxy.Policies.Admission;

/// <summary>Loads the tokenizers' vocabularies in the background at start, so the first request does not wait for them.</summary>
internal sealed class TokenizerWarmup : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(Tokenizers.Warm, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
