namespace DeviceFabric.Portal.Hosting;

/// <summary>
/// How the portal reaches the node it runs in: the REST API's and the digital twins API's addresses (known once the
/// server has bound its ports), the CA the node's certificate chains to, and which hub a connection string's host names.
/// </summary>
public sealed class PortalBackend(Func<Uri> restAddress, Func<Uri?> digitalTwinsAddress, string caPath, Func<string, string> hubOfHost)
{
    /// <summary>The hub's name for a host name (Device Update's instance is the hub's name, not its host).</summary>
    public string HubOf(string host) => hubOfHost(host);

    /// <summary>The REST API's address, as callers on this machine reach it.</summary>
    public Uri RestAddress => restAddress();

    /// <summary>The digital twins API's address, or null when it is off.</summary>
    public Uri? DigitalTwinsAddress => digitalTwinsAddress();

    /// <summary>The PEM CA the node's certificate chains to.</summary>
    public string CaPath { get; } = caPath;
}
