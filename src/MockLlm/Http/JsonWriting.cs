using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.MockLlm.Http;

internal static class JsonWriting
{
    /// <summary>Like the providers: apostrophes and non-ASCII text are not \u-escaped.</summary>
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
