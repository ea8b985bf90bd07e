using System.IO.Hashing;
using System.Text;

namespace Gateway.MockLlm.Http;

/// <summary>
/// Response ids derived from the request id: <c>chatcmpl-&lt;request id&gt;</c> when the request id is
/// made of letters, digits, '-' and '_', else <c>chatcmpl-&lt;16 hex digits of its hash&gt;</c>.
/// </summary>
internal static class ResponseIds
{
    public static string For(string prefix, string requestId)
    {
        foreach (var c in requestId)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                var hash = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(requestId));
                return prefix + hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return prefix + requestId;
    }
}
