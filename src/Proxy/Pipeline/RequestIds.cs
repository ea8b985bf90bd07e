using System.Buffers;

namespace Gateway.Proxy.Pipeline;

/// <summary>Request ids: the caller's when sane (1–128 of <c>[A-Za-z0-9._:-]</c>), else a new one.</summary>
internal static class RequestIds
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    public static bool IsSane(ReadOnlySpan<char> id) => id.Length is > 0 and <= 128 && id.IndexOfAnyExcept(Allowed) < 0;

    /// <summary>The caller's id when exactly one sane value was sent, else a fresh one.</summary>
    public static string FromHeader(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Count == 1 && values[0] is { } id && IsSane(id) ? id : New();

    public static string New() => string.Create(36, Guid.CreateVersion7(), static (span, guid) =>
    {
        "req_".CopyTo(span);
        guid.TryFormat(span[4..], out _, "N");
    });
}
