namespace Gateway.Proxy.Relay;

/// <summary>How relaying one upstream response ended.</summary>
internal enum RelayResult
{
    Completed,
    ClientAborted,

    /// <summary>The upstream broke off after the client saw bytes: the client connection is aborted.</summary>
    UpstreamDropped,

    /// <summary>The upstream broke off before anything reached the client: another deployment may be tried.</summary>
    FailedBeforeStart,

    /// <summary>A response that had to be held whole (to translate it) was larger than allowed.</summary>
    TooLarge,

    /// <summary>The upstream's answer could not be read as its format says (nothing reached the client).</summary>
    Invalid,
}
