using System.Runtime.CompilerServices;

namespace Gateway.Proxy.Tests.Infrastructure;

/// <summary>
/// The proxy's image runs with <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>
/// (<c>src/Proxy/Dockerfile</c>): a socket's completion runs its continuation on the socket
/// engine's own thread, so any code on the request path that blocks a thread stalls every socket
/// of that engine, and a blocking wait for another socket's I/O never ends. This suite hosts the
/// proxy in its own process, so it runs under the same setting: set here, before the first socket
/// is made (the runtime reads it once), and checked by <c>RuntimeSettingsTests</c>.
/// </summary>
internal static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "The test executable's own setting, before any socket exists.")]
    internal static void Enable() => Environment.SetEnvironmentVariable(Variable, "1");
}
