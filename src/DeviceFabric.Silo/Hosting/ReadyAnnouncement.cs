using DeviceFabric.Mqtt.Hosting;
using DeviceFabric.RestClient;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Silo.Hosting;

/// <summary>
/// Once the node serves both HTTPS and MQTT: writes where it listens to <c>endpoints.json</c> in the data directory
/// (the CLI reads it), prints the portal's address and a CLI command to try, says once why the REST API is not on 443
/// if it could not be, and prints the ready line operators and scripts wait for.
/// </summary>
internal sealed class ReadyAnnouncement(
    IHostApplicationLifetime lifetime,
    IServer server,
    MqttFrontEndReadiness mqtt,
    NodeListeners listeners,
    IOptions<NodeOptions> node,
    IOptions<DeviceFabric.Hubs.HubOptions> hubs) : IHostedService
{
    public const string Line = "DeviceFabric: ready";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = AnnounceAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task AnnounceAsync()
    {
        await mqtt.Ready.ConfigureAwait(false);
        var host = hubs.Value.Default.HostName;
        var rest = listeners.RestAddress(host);
        var twins = listeners.DigitalTwinsAddress(host);
        var portal = new Uri(rest, "/portal");
        new NodeEndpointsFile(rest, twins, portal, listeners.MqttTlsPort).Write(node.Value.DataPath);
        if (listeners.StandardPortRefusal is { } refusal)
        {
            Console.WriteLine($"DeviceFabric: the REST API is on port {listeners.RestPort} only: {refusal}. The Azure service SDKs dial 443; "
                + "let this process bind it (sudo setcap cap_net_bind_service=+ep \"$(readlink -f \"$(command -v dotnet)\")\") or run it as a user that may.");
        }

        if (twins is not null)
        {
            // What @azure/digital-twins-core takes as its endpoint (the hub's owner token as the bearer token).
            Console.WriteLine($"DeviceFabric: digital twins API at {twins.GetLeftPart(UriPartial.Authority)}");
        }

        Console.WriteLine($"DeviceFabric: portal at {portal} (sign in with the owner connection string)");
        Console.WriteLine($"DeviceFabric: try the CLI: {CliCommand()} device-identity create -d thermostat-1");
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Console.WriteLine($"{Line} ({string.Join(", ", addresses)})");
    }

    // From a clone of the repository the CLI runs from source; elsewhere it is the installed tool.
    private static string CliCommand() => Directory.Exists(Path.Combine("src", "DeviceFabric.Cli"))
        ? "dotnet run --project src/DeviceFabric.Cli --"
        : "devicefabric";
}
