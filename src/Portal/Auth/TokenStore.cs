using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Gateway.Portal.Auth;

/// <summary>
/// Server-side, per-session store of the signed-in users' tokens. The cookie carries only a
/// session id (<see cref="PortalClaims.SessionId"/>): the tokens never leave the server, and
/// interactive circuits, where no <c>HttpContext</c> is available, read them from here. A session
/// unused for <see cref="PortalOptions.SessionIdleTimeout"/> is dropped; signing out drops it at once.
/// </summary>
internal sealed class TokenStore(IOptions<PortalOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>Stores the tokens of a new sign-in and returns its session id.</summary>
    public string Add(UserTokens tokens)
    {
        Sweep();
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _sessions[id] = new Session(tokens, time.GetUtcNow());
        return id;
    }

    /// <summary>The live session (its idle clock restarted), or null when it is unknown or idle too long.</summary>
    public Session? Find(string sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out var session)) return null;
        var now = time.GetUtcNow();
        if (IsIdle(session, now))
        {
            Remove(sessionId);
            return null;
        }
        session.Touch(now);
        return session;
    }

    /// <summary>Whether the session is live, without counting this as use.</summary>
    public bool Contains(string sessionId) =>
        _sessions.TryGetValue(sessionId, out var session) && !IsIdle(session, time.GetUtcNow());

    public void Remove(string sessionId) => _sessions.TryRemove(sessionId, out _);

    public int Count => _sessions.Count;

    private bool IsIdle(Session session, DateTimeOffset now) => now.UtcTicks - session.LastUsedTicks > options.Value.SessionIdleTimeout.Ticks;

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (id, session) in _sessions)
        {
            if (IsIdle(session, now)) _sessions.TryRemove(id, out _);
        }
    }

    /// <summary>One session: its current tokens and the gate that lets one caller at a time refresh them.</summary>
    internal sealed class Session(UserTokens tokens, DateTimeOffset lastUsed)
    {
        private UserTokens _tokens = tokens;

        public UserTokens Tokens
        {
            get => Volatile.Read(ref _tokens);
            set => Volatile.Write(ref _tokens, value);
        }

        private long _lastUsedTicks = lastUsed.UtcTicks;

        public long LastUsedTicks => Volatile.Read(ref _lastUsedTicks);

        public void Touch(DateTimeOffset now) => Volatile.Write(ref _lastUsedTicks, now.UtcTicks);

        public SemaphoreSlim RefreshGate { get; } = new(1, 1);
    }
}
