using System.Runtime.InteropServices;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Tests.Admission;

namespace Gateway.Proxy.Tests;

// Measures the process's resident memory: alone, so that other tests' allocations do not move it.
[Collection(BpeCounterTests.Alone)]
public sealed class NativeHeapTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public void Trim_GivesTheCHeapsFreePagesBackToTheOs()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "malloc_trim is glibc's");
        NativeHeap.Trim(); // what the process had free before this test

        // 32 MiB in 1 KiB blocks (under malloc's mmap threshold, so from an arena), written so that
        // they are resident; then all freed but the last, which keeps the free space off the arena's
        // top, where free itself would give it back.
        const int blocks = 32 * 1024;
        var pointers = new nint[blocks];
        var fill = new byte[1024];
        Array.Fill(fill, (byte)0x5a);
        for (var i = 0; i < blocks; i++)
        {
            pointers[i] = Marshal.AllocHGlobal(fill.Length); // malloc
            Marshal.Copy(fill, 0, pointers[i], fill.Length);
        }
        for (var i = 0; i < blocks - 1; i++) Marshal.FreeHGlobal(pointers[i]);
        try
        {
            var before = ResidentBytes();
            Assert.True(NativeHeap.Trim(), "malloc_trim released nothing");
            var released = before - ResidentBytes();
            Assert.True(released >= 24 * MiB, $"resident memory fell by {released / (double)MiB:F1} MiB, expected the ~32 MiB freed");
        }
        finally
        {
            Marshal.FreeHGlobal(pointers[blocks - 1]);
        }
    }

    private static long ResidentBytes() =>
        long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1]) * Environment.SystemPageSize;
}
