using System.Globalization;
using Gateway.Contracts.Errors;
using Gateway.Proxy.Counters;

namespace Gateway.Proxy.Policies.Admission;

/// <summary>
/// OpenAI's rate-limit headers: <c>x-ratelimit-limit-requests</c>, <c>-remaining-requests</c>,
/// <c>-reset-requests</c> and the same for tokens, for the tightest per-minute limit of each kind
/// (least remaining; on a tie the smaller limit). Resets are durations as OpenAI writes them
/// (<c>1s</c>, <c>6m0s</c>, <c>250ms</c>). Upstream rate-limit headers never reach the client:
/// they describe the gateway's provider account, not the caller's limits.
/// </summary>
internal static class RateLimitHeaders
{
    /// <summary>Writes the headers for <paramref name="reservation"/>'s limits and removes any of them it has no limit for.</summary>
    public static void Apply(IHeaderDictionary headers, CounterReservation? reservation, DateTimeOffset now)
    {
        var requests = reservation is null ? -1 : Tightest(reservation, CounterKind.Requests);
        string? requestsReset = null;
        if (requests >= 0) requestsReset = Write(headers, reservation!, requests, now, null, GatewayHeaders.LimitRequests, GatewayHeaders.RemainingRequests, GatewayHeaders.ResetRequests);
        else Remove(headers, GatewayHeaders.LimitRequests, GatewayHeaders.RemainingRequests, GatewayHeaders.ResetRequests);
        var tokens = reservation is null ? -1 : Tightest(reservation, CounterKind.Tokens);
        if (tokens >= 0)
        {
            // Both are usually per-minute windows that end together: one duration text for both.
            var sameReset = requests >= 0 && reservation!.ResetsAt[tokens] == reservation.ResetsAt[requests] ? requestsReset : null;
            Write(headers, reservation!, tokens, now, sameReset, GatewayHeaders.LimitTokens, GatewayHeaders.RemainingTokens, GatewayHeaders.ResetTokens);
        }
        else
        {
            Remove(headers, GatewayHeaders.LimitTokens, GatewayHeaders.RemainingTokens, GatewayHeaders.ResetTokens);
        }
    }

    private static void Remove(IHeaderDictionary headers, string limit, string remaining, string reset)
    {
        headers.Remove(limit);
        headers.Remove(remaining);
        headers.Remove(reset);
    }

    /// <summary>Seconds until the denied limit may admit the request: the window's end; 1 for concurrency.</summary>
    public static long RetryAfterSeconds(CounterReservation reservation, DateTimeOffset now)
    {
        if (reservation.Denied.Window == CounterWindow.None) return 1;
        var seconds = (long)Math.Ceiling((reservation.ResetsAt[reservation.DeniedIndex] - now).TotalSeconds);
        return Math.Max(1, seconds);
    }

    private static int Tightest(CounterReservation reservation, CounterKind kind)
    {
        var best = -1;
        for (var i = 0; i < reservation.Count; i++)
        {
            ref readonly var check = ref reservation.Checks[i];
            if (check.Kind != kind) continue;
            if (best < 0 || reservation.Remaining[i] < reservation.Remaining[best]
                || (reservation.Remaining[i] == reservation.Remaining[best] && check.Limit < reservation.Checks[best].Limit))
                best = i;
        }
        return best;
    }

    /// <summary>Writes one limit's three headers; returns the reset's text (<paramref name="resetText"/> when given).</summary>
    private static string Write(IHeaderDictionary headers, CounterReservation reservation, int index, DateTimeOffset now, string? resetText, string limit, string remaining, string reset)
    {
        headers[limit] = reservation.Checks[index].Limit.ToString(CultureInfo.InvariantCulture);
        headers[remaining] = reservation.Remaining[index].ToString(CultureInfo.InvariantCulture);
        resetText ??= FormatDuration(reservation.ResetsAt[index] - now);
        headers[reset] = resetText;
        return resetText;
    }

    /// <summary>A duration the way OpenAI (Go) writes it: <c>250ms</c>, <c>1s</c>, <c>12.5s</c>, <c>6m0s</c>, <c>1h2m3s</c>.</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero) return "0s";
        var ms = (long)Math.Ceiling(duration.TotalMilliseconds);
        if (ms < 1000) return ms.ToString(CultureInfo.InvariantCulture) + "ms";
        var hours = ms / 3_600_000;
        var minutes = ms / 60_000 % 60;
        var seconds = ms % 60_000 / 1000;
        var fraction = ms % 1000;
        Span<char> text = stackalloc char[40];
        var length = 0;
        if (hours > 0) Append(text, ref length, hours, 'h');
        if (hours > 0 || minutes > 0) Append(text, ref length, minutes, 'm');
        if (fraction == 0)
        {
            Append(text, ref length, seconds, 's');
        }
        else
        {
            // Milliseconds as a decimal fraction without trailing zeros: 12.5s, 12.05s, 12.005s.
            Append(text, ref length, seconds, '.');
            fraction.TryFormat(text[length..], out var written, "000", CultureInfo.InvariantCulture);
            length += written;
            while (text[length - 1] == '0') length--; // the fraction is not 0: a digit of it stops this
            text[length++] = 's';
        }
        return new string(text[..length]);
    }

    private static void Append(Span<char> text, ref int length, long value, char suffix)
    {
        value.TryFormat(text[length..], out var written, provider: CultureInfo.InvariantCulture);
        length += written;
        text[length++] = suffix;
    }
}
