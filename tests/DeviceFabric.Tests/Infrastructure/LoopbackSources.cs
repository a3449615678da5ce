using System.Net;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>
/// Loopback source addresses no other test uses: refused connects from one are held back by the node's login backoff,
/// so a test that expects refusals sends them from its own address and slows no other test.
/// </summary>
internal static class LoopbackSources
{
    private static int s_next = 1;

    public static IPAddress Unique()
    {
        var n = Interlocked.Increment(ref s_next);
        return new IPAddress([127, 77, (byte)(n / 250), (byte)((n % 250) + 1)]);
    }
}
