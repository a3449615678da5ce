using System.Net;
using System.Net.Sockets;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>
/// Ports for nodes started side by side in one test run. Taken below the OS's ephemeral range (32768 and up on Linux)
/// and handed out once each: a port the OS picked for us and released could be picked again, before our node binds
/// it, for another node's port-0 listener or a client's outgoing connection.
/// </summary>
internal static class FreePort
{
    private const int First = 20_000;
    private const int Last = 32_000;
    private static int s_next = First + (Environment.ProcessId % 1000 * 10);

    public static int Next()
    {
        for (var attempt = 0; attempt < Last - First; attempt++)
        {
            var port = First + ((Interlocked.Increment(ref s_next) - First) % (Last - First));
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free port between {First} and {Last}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
