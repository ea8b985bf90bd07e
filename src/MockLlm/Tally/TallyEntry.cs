namespace Gateway.MockLlm.Tally;

/// <summary>
/// What MockLlm served for one request id. Several attempts with the same id (a gateway retrying
/// on another deployment) add up; the descriptive fields are the latest attempt's. Counters are
/// updated while a stream is written, so a client abort leaves exactly the tokens already sent.
/// </summary>
internal sealed class TallyEntry
{
    private readonly Lock _gate = new();
    private long _promptTokens;
    private long _cachedTokens;
    private long _completionTokens;
    private int _inFlight;

    public string Endpoint { get; private set; } = "";

    public string Model { get; private set; } = "";

    public bool Streamed { get; private set; }

    public bool UsageReported { get; private set; }

    public bool Completed { get; private set; }

    public int Status { get; private set; }

    public int Attempts { get; private set; }

    public long PromptTokens => Interlocked.Read(ref _promptTokens);

    public long CachedTokens => Interlocked.Read(ref _cachedTokens);

    public long CompletionTokens => Interlocked.Read(ref _completionTokens);

    public void Begin(string endpoint, string model, bool streamed)
    {
        lock (_gate)
        {
            Endpoint = endpoint;
            Model = model;
            Streamed = streamed;
            UsageReported = false;
            Completed = false;
            Status = 0;
            Attempts++;
        }
    }

    /// <summary>Attempts still being served (the pipeline leaves when the handler returns or fails).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Leave() => Interlocked.Decrement(ref _inFlight);

    public void AddPrompt(long promptTokens, long cachedTokens)
    {
        Interlocked.Add(ref _promptTokens, promptTokens);
        Interlocked.Add(ref _cachedTokens, cachedTokens);
    }

    public void AddCompletion(long tokens) => Interlocked.Add(ref _completionTokens, tokens);

    /// <summary>The usage figures reached the client (a JSON usage object, the usage chunk, message_delta, response.done).</summary>
    public void MarkUsageReported()
    {
        lock (_gate)
        {
            UsageReported = true;
        }
    }

    public void Finish(int status, bool completed)
    {
        lock (_gate)
        {
            Status = status;
            Completed = completed;
        }
    }

    /// <summary>A consistent copy for reading.</summary>
    public TallySnapshot Snapshot()
    {
        lock (_gate)
        {
            return new TallySnapshot(Endpoint, Model, Streamed, PromptTokens, CachedTokens, CompletionTokens,
                UsageReported, Completed, Status, Attempts, InFlight);
        }
    }
}

internal readonly record struct TallySnapshot(
    string Endpoint, string Model, bool Streamed, long PromptTokens, long CachedTokens, long CompletionTokens,
    bool UsageReported, bool Completed, int Status, int Attempts, int InFlight);
