using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace DeviceFabric.Silo.Hosting;

/// <summary>
/// The node's HTTPS listeners as Kestrel bound them (a port of 0 becomes the one it got): what the ready line, the
/// data directory's <c>endpoints.json</c> and the portal's own calls to the REST API need to know.
/// </summary>
internal sealed class NodeListeners
{
    public ListenOptions? Rest { get; set; }

    public ListenOptions? Standard { get; set; }

    public ListenOptions? DigitalTwins { get; set; }

    public ListenOptions? MqttTls { get; set; }

    /// <summary>Why the REST API is not also on 443 when it was meant to be (said once at start), or null.</summary>
    public string? StandardPortRefusal { get; set; }

    /// <summary>The REST API's bound port (read after the server started).</summary>
    public int RestPort => Port(Rest);

    public int DigitalTwinsPort => Port(DigitalTwins);

    public int MqttTlsPort => Port(MqttTls);

    /// <summary>
    /// The REST API's address for callers on this machine, by the hub's host name (the certificate's name): the
    /// standard port's when the node has it, as the Azure SDKs dial.
    /// </summary>
    public Uri RestAddress(string hostName) => Address(hostName, Standard is not null ? Port(Standard) : RestPort);

    /// <summary>The REST API's address on its configured port (never the 443 twin), for calls from inside the node.</summary>
    public Uri LocalRestAddress(string hostName) => Address(hostName, RestPort);

    public Uri? DigitalTwinsAddress(string hostName) => DigitalTwins is null ? null : Address(hostName, DigitalTwinsPort);

    /// <summary>
    /// Whether this process may listen on <paramref name="port"/> of <paramref name="address"/>: probed by binding it
    /// once, so a node without the privilege (or with the port taken) says why instead of failing to start.
    /// </summary>
    public static bool CanBind(IPAddress address, int port, out string? refusal)
    {
        try
        {
            using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(address, port));
            refusal = null;
            return true;
        }
        catch (SocketException ex)
        {
            refusal = ex.SocketErrorCode == SocketError.AccessDenied
                ? $"port {port} needs privileges this process lacks"
                : $"port {port} is in use ({ex.SocketErrorCode})";
            return false;
        }
    }

    private static int Port(ListenOptions? listen) => listen?.IPEndPoint?.Port ?? 0;

    private static Uri Address(string hostName, int port) => new(port == 443 ? $"https://{hostName}" : $"https://{hostName}:{port}");
}
