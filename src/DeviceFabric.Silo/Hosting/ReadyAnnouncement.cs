using DeviceFabric.Mqtt.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace DeviceFabric.Silo.Hosting;

/// <summary>Prints one line once the node serves both HTTPS and MQTT (what operators and scripts wait for), after the digital twins endpoint.</summary>
internal sealed class ReadyAnnouncement(
    IHostApplicationLifetime lifetime,
    IServer server,
    MqttFrontEndReadiness mqtt,
    Microsoft.Extensions.Options.IOptions<DeviceFabric.DigitalTwins.DigitalTwinOptions> digitalTwins,
    Microsoft.Extensions.Options.IOptions<DeviceFabric.Hubs.HubOptions> hubs) : IHostedService
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
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (digitalTwins.Value.HttpsPort != 0)
        {
            // What @azure/digital-twins-core takes as its endpoint (the hub's owner token as the bearer token).
            Console.WriteLine($"DeviceFabric: digital twins API at https://{hubs.Value.Default.HostName}:{digitalTwins.Value.HttpsPort}");
        }

        Console.WriteLine($"{Line} ({string.Join(", ", addresses)})");
    }
}
