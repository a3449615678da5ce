using System.Net;
using System.Net.Sockets;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>Ports the OS reports free on loopback, so nodes started side by side in one test run never collide.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
