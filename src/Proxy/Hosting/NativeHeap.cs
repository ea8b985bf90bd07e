using System.Runtime.InteropServices;

namespace Gateway.Proxy.Hosting;

/// <summary>
/// The C heap under the runtime. glibc's <c>free</c> keeps freed memory in its arenas, and gives back
/// only what sits at the top of the main heap; what a load left free inside them (the runtime's and
/// the socket engine's native buffers of 1,000 streams) stays resident until <c>malloc_trim</c> walks
/// every arena and releases the free pages. Measured after such a load, once the idle trim had run:
/// RSS 97.0 → 89.0 MiB (docs/benchmarks.notes.md, "Memory (F4)").
/// </summary>
internal static class NativeHeap
{
    private static volatile bool s_unavailable = !OperatingSystem.IsLinux();

    /// <summary>
    /// Releases the C heap's free pages to the OS: true when some were released, false when none
    /// were or the C library has no <c>malloc_trim</c> (not glibc: musl, Windows, macOS).
    /// </summary>
    public static bool Trim()
    {
        if (s_unavailable) return false;
        try
        {
            return MallocTrim(0) != 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_unavailable = true;
            return false;
        }
    }

    // glibc's soname: on a C library without it (musl) the load fails once and the trim is off.
    [DllImport("libc.so.6", EntryPoint = "malloc_trim", ExactSpelling = true)]
    private static extern int MallocTrim(nuint pad);
}
